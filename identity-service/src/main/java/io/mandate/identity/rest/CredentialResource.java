package io.mandate.identity.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.api.IdempotencyKeys;
import io.mandate.api.ProblemException;
import io.mandate.auth.CurrentCaller;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Credential;
import io.mandate.identity.mapping.CredentialView;
import io.mandate.identity.service.AgentAccess;
import io.mandate.identity.service.Agents;
import io.mandate.identity.service.AgentCredentials;
import io.mandate.identity.service.PublicKeys;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An agent's credentials: several at once; API keys rotate with a grace
 * period; public keys (JWK, PGP) are checked on upload.
 */
@Path("/v1/agents/{agentId}/credentials")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CredentialResource {

    private final AgentCredentials credentials;
    private final ObjectMapper mapper;
    private final Agents agents;
    private final CurrentCaller caller;

    CredentialResource(AgentCredentials credentials, ObjectMapper mapper, Agents agents, CurrentCaller caller) {
        this.credentials = credentials;
        this.mapper = mapper;
        this.agents = agents;
        this.caller = caller;
    }

    public record IssuedKeyResponse(CredentialView credential, String apiKey, CredentialView replaced) {
    }

    public record RotateRequest(Long gracePeriodSeconds) {
    }

    public record JwkRequest(@NotNull @Size(max = 20) Map<String, Object> jwk) {
    }

    public record PgpKeyRequest(@NotBlank @Size(max = 32768) String publicKey) {
    }

    private static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;

    @GET
    public Map<String, List<CredentialView>> list(@PathParam("agentId") String agentId) {
        return Map.of("items", credentials.list(seen(agentId), agentId).stream().map(CredentialView::of).toList());
    }

    @POST
    @Path("/api-keys")
    public Response addApiKey(@PathParam("agentId") String agentId,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        var added = credentials.addApiKey(managed(agentId), agentId, idempotencyKey, actor());
        return issued(agentId, added.value(), null, added.replayed());
    }

    /** A public key for {@code private_key_jwt} (RFC 7523): EC P-256, Ed25519 or RSA >= 2048, public part only. */
    @POST
    @Path("/public-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addJwk(@PathParam("agentId") String agentId, @Valid @NotNull JwkRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        PublicKeys.Checked key = PublicKeys.jwk(request.jwk());
        return publicKey(agentId, credentials.addPublicKey(managed(agentId), agentId, Credential.Kind.jwk, key,
                idempotencyKey, actor()));
    }

    /** An ASCII-armored OpenPGP public key (RSA >= 2048 or Ed25519) for the SWARM challenge flow. */
    @POST
    @Path("/pgp-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addPgpKey(@PathParam("agentId") String agentId, @Valid @NotNull PgpKeyRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        PublicKeys.Checked key = PublicKeys.pgp(request.publicKey());
        return publicKey(agentId, credentials.addPublicKey(managed(agentId), agentId, Credential.Kind.pgp, key,
                idempotencyKey, actor()));
    }

    private static Response publicKey(String agentId, IdempotencyKeys.Outcome<Credential> added) {
        return IdempotencyKeys.created(added.replayed(), "/v1/agents/" + agentId + "/credentials/" + added.value().id,
                CredentialView.of(added.value())).build();
    }

    @POST
    @Path("/{credentialId}/revoke")
    public CredentialView revoke(@PathParam("agentId") String agentId, @PathParam("credentialId") String credentialId) {
        return CredentialView.of(credentials.revoke(managed(agentId), agentId, credentialId, actor()));
    }

    /**
     * A new key; the old one keeps working for the grace period ({@code grace_period_seconds}, else the
     * default). The body is optional, so it is read as text: an empty POST is a valid rotation.
     */
    @POST
    @Path("/{credentialId}/rotate")
    public Response rotate(@PathParam("agentId") String agentId, @PathParam("credentialId") String credentialId,
            String body) throws JsonProcessingException {
        String tenantId = managed(agentId);
        RotateRequest request = body == null || body.isBlank() ? null : mapper.readValue(body, RotateRequest.class);
        Duration grace = null;
        if (request != null && request.gracePeriodSeconds() != null) {
            if (request.gracePeriodSeconds() < 0 || request.gracePeriodSeconds() > MAX_GRACE_SECONDS) {
                throw ProblemException.invalid("grace_period_seconds", "must be between 0 and " + MAX_GRACE_SECONDS);
            }
            grace = Duration.ofSeconds(request.gracePeriodSeconds());
        }
        var rotation = credentials.rotate(tenantId, agentId, credentialId, grace, actor());
        return issued(agentId, rotation.issued(), CredentialView.of(rotation.replaced()), false);
    }

    /** The caller's tenant, once it is clear the caller may see the agent (404 otherwise). */
    private String seen(String agentId) {
        AgentAccess.requireSee(caller.get(), agents.find(caller.tenantId(), agentId));
        return caller.tenantId();
    }

    /** The caller's tenant, once it is clear the caller may change the agent's credentials. */
    private String managed(String agentId) {
        AgentAccess.requireManage(caller.get(), agents.find(caller.tenantId(), agentId));
        return caller.tenantId();
    }

    private Actor actor() {
        return caller.get().actor();
    }

    /** A new key (its value shown this once), or on a replay the credential without it. */
    private static Response issued(String agentId, AgentCredentials.IssuedKey issued, CredentialView replaced,
            boolean replayed) {
        return IdempotencyKeys.created(replayed, "/v1/agents/" + agentId + "/credentials/" + issued.credential().id,
                new IssuedKeyResponse(CredentialView.of(issued.credential()),
                        issued.apiKey() == null ? null : issued.apiKey().value(), replaced))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
