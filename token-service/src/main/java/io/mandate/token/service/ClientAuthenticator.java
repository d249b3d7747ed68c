package io.mandate.token.service;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.credentials.ApiKey;
import io.mandate.jose.ClientSignatures;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.client.ClientMetadataDocuments;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.OneTimeIds;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates an agent (client id = agent id) by {@code client_secret_basic} or
 * {@code client_secret_post} (secret = API key) or {@code private_key_jwt} (RFC 7523 §2.2, signed with
 * one of the agent's registered public keys), against the credential projection. Every failure is the
 * same {@code invalid_client} to the caller; the precise reason goes into {@code agent.verification_failed}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final List<String> METHODS = List.of("client_secret_basic", "client_secret_post", "private_key_jwt");

    private final ProjectionRepository projections;
    private final ProjectionCache cache;
    private final ProjectionSignal signal;
    private final OneTimeIds oneTimeIds;
    private final TokenEvents events;
    private final TokenConfig config;
    private final byte[] pepper;

    ClientAuthenticator(ProjectionRepository projections, ProjectionCache cache, ProjectionSignal signal,
            OneTimeIds oneTimeIds, TokenEvents events, TokenConfig config,
            @ConfigProperty(name = "mandate.credentials.pepper") String pepper) {
        this.projections = projections;
        this.cache = cache;
        this.signal = signal;
        this.oneTimeIds = oneTimeIds;
        this.events = events;
        this.config = config;
        this.pepper = ApiKey.pepper(pepper);
    }

    /**
     * An authenticated agent, the credential it proved and how, and the trust level its tokens carry
     * (the agent's, or 3 after a PGP challenge, whose key's {@code fingerprint} is then known; else null).
     */
    public record AuthenticatedClient(AgentProjection agent, String credentialId, String method, int trustLevel,
            String fingerprint) {

        public AuthenticatedClient(AgentProjection agent, String credentialId, String method) {
            this(agent, credentialId, method, agent.trustLevel, null);
        }
    }

    /**
     * The client a token request authenticates, or empty when it carries no client authentication at all. A
     * request that names only its {@code client_id} is a public client's (method {@code none}): accepted if
     * the agent registered as one, refused otherwise.
     */
    public Optional<AuthenticatedClient> ifPresented(TokenRequest request) {
        boolean credentials = request.authorization() != null || request.parameter("client_secret") != null
                || request.parameter("client_assertion") != null || request.parameter("client_assertion_type") != null;
        if (credentials) {
            return Optional.of(authenticate(request));
        }
        String clientId = request.parameter("client_id");
        return clientId == null ? Optional.empty() : Optional.of(publicClient(request, clientId));
    }

    /**
     * A public client, identified by its id alone; every refusal is the same {@code invalid_client}. An https
     * URL names a client known by its metadata document: one per tenant, the tenant of the resource the
     * request names when the URL is known in several.
     */
    private AuthenticatedClient publicClient(TokenRequest request, String clientId) {
        Optional<AgentProjection> agent = ClientMetadataDocuments.isUrl(clientId) ? metadataClient(request, clientId)
                : cache.agent(clientId); // no wait: a public client signs people in long after it registered
        if (agent.isEmpty() || !agent.get().isPublicClient()) {
            throw refuse(request, clientId, agent.map(a -> a.tenantId).orElse(null), "client_authentication_missing",
                    "none");
        }
        if (!agent.get().isActive()) {
            throw refuse(request, clientId, agent.get().tenantId, "agent_" + agent.get().status, "none");
        }
        return new AuthenticatedClient(agent.get(), null, "none");
    }

    private Optional<AgentProjection> metadataClient(TokenRequest request, String url) {
        List<AgentProjection> known = projections.findByClientIdUrl(url);
        if (known.size() <= 1) {
            return known.stream().findFirst();
        }
        List<String> tenants = request.parameters("resource").stream().map(cache::resource).flatMap(Optional::stream)
                .map(resource -> resource.tenantId).toList();
        return known.stream().filter(agent -> tenants.contains(agent.tenantId)).findFirst();
    }

    public AuthenticatedClient authenticate(TokenRequest request) {
        PresentedSecret presented = presentedSecret(request);
        return presented == null ? privateKeyJwt(request)
                : secret(request, presented.clientId(), presented.secret(), presented.method());
    }

    /**
     * The client of a request that authenticates with a client secret whose credential and agent this
     * replica holds in memory; empty when something must be read from the database first (then
     * {@link #authenticate}). Never blocks. Refusals are the same as {@link #authenticate}'s.
     */
    public Optional<AuthenticatedClient> fromMemory(TokenRequest request) {
        PresentedSecret presented = presentedSecret(request);
        if (presented == null) {
            return Optional.empty();
        }
        Optional<ApiKey> apiKey = ApiKey.parse(presented.secret());
        Optional<CredentialProjection> credential = apiKey.flatMap(key -> cache.cachedCredential(key.keyId()));
        if (credential.flatMap(known -> cache.cachedAgent(known.agentId)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(checkSecret(request, presented.clientId(), apiKey.get(), credential, presented.method(),
                cache::cachedAgent));
    }

    /** A client id and secret as {@code client_secret_basic} or {@code client_secret_post} sent them. */
    private record PresentedSecret(String clientId, String secret, String method) {
    }

    /** The presented client secret, or null for {@code private_key_jwt}; refuses no or several methods. */
    private static PresentedSecret presentedSecret(TokenRequest request) {
        boolean secretInBody = request.parameter("client_secret") != null;
        boolean basic = request.authorization() != null && request.authorization().regionMatches(true, 0, "Basic ", 0, 6);
        boolean assertion = request.parameter("client_assertion_type") != null || request.parameter("client_assertion") != null;
        if ((basic ? 1 : 0) + (secretInBody ? 1 : 0) + (assertion ? 1 : 0) > 1) {
            throw OAuthException.invalidRequest("use one client authentication method, not two");
        }
        if (assertion) {
            return null;
        }
        if (basic) {
            return basic(request);
        }
        String clientId = request.parameter("client_id");
        if (clientId == null || !secretInBody) {
            throw OAuthException.invalidClient(false);
        }
        return new PresentedSecret(clientId, request.parameter("client_secret"), "client_secret_post");
    }

    private static PresentedSecret basic(TokenRequest request) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(request.authorization().substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient(true);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthException.invalidClient(true);
        }
        // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
        return new PresentedSecret(TokenRequest.decodeCredential(decoded.substring(0, colon)),
                TokenRequest.decodeCredential(decoded.substring(colon + 1)), "client_secret_basic");
    }

    /** Checks an agent id and API key (also the seed flows' {@code {agent_id, api_key}}). */
    public AuthenticatedClient secret(TokenRequest request, String clientId, String secret, String method) {
        Optional<ApiKey> apiKey = ApiKey.parse(secret);
        if (apiKey.isEmpty()) {
            throw refuse(request, clientId, null, "malformed_secret", method);
        }
        Optional<CredentialProjection> credential = signal.awaitPresent("key " + apiKey.get().keyId(),
                () -> cache.credential(apiKey.get().keyId()), config.projectionMissWait());
        return checkSecret(request, clientId, apiKey.get(), credential, method, this::awaitAgent);
    }

    private AuthenticatedClient checkSecret(TokenRequest request, String clientId, ApiKey apiKey,
            Optional<CredentialProjection> credential, String method, Function<String, Optional<AgentProjection>> agents) {
        if (credential.isEmpty() || !credential.get().agentId.equals(clientId)
                || !"api_key".equals(credential.get().kind)) {
            throw refuse(request, clientId, null, "unknown_credential", method);
        }
        if (!apiKey.matches(credential.get().verifier, pepper)) {
            throw refuse(request, clientId, credential.get().tenantId, "secret_mismatch", method);
        }
        return usable(request, credential.get(), method, agents);
    }

    private Optional<AgentProjection> awaitAgent(String agentId) {
        return signal.awaitPresent("agent " + agentId, () -> cache.agent(agentId), config.projectionMissWait());
    }

    private AuthenticatedClient privateKeyJwt(TokenRequest request) {
        String method = "private_key_jwt";
        if (!JWT_BEARER.equals(request.parameter("client_assertion_type")) || request.parameter("client_assertion") == null) {
            throw OAuthException.invalidRequest("private_key_jwt needs client_assertion_type=" + JWT_BEARER
                    + " and a client_assertion");
        }
        String clientId = request.parameter("client_id");
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(request.parameter("client_assertion"));
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refuse(request, clientId, null, "malformed_assertion", method);
        }
        String agentId = claims.getIssuer();
        if (agentId == null || !agentId.equals(claims.getSubject()) || (clientId != null && !clientId.equals(agentId))) {
            throw refuse(request, clientId != null ? clientId : agentId, null, "assertion_subject_mismatch", method);
        }
        String kid = jwt.getHeader().getKeyID();
        List<CredentialProjection> keys = signal.awaitPresent("jwk " + agentId + " " + kid,
                () -> Optional.of(projections.credentials(agentId, "jwk"))
                .filter(list -> list.stream().anyMatch(k -> kid == null || k.keyId.equals(kid))),
                config.projectionMissWait()).orElse(List.of());
        CredentialProjection credential = keys.stream().filter(k -> kid == null || k.keyId.equals(kid))
                .filter(k -> signedBy(jwt, k)).findFirst()
                .orElseThrow(() -> refuse(request, agentId, null, keys.isEmpty() ? "unknown_credential"
                        : "assertion_signature_invalid", method));
        String reason = assertionProblem(claims);
        if (reason != null) {
            throw refuse(request, agentId, credential.tenantId, reason, method);
        }
        AuthenticatedClient client = usable(request, credential, method, this::awaitAgent);
        // Last, so that nobody but the key holder can use up an assertion's jti.
        if (!oneTimeIds.use(OneTimeIds.CLIENT_ASSERTION, agentId + " " + claims.getJWTID(),
                claims.getExpirationTime().toInstant().plus(config.clockSkew()))) {
            throw refuse(request, agentId, credential.tenantId, "assertion_replayed", method);
        }
        return client;
    }

    private static boolean signedBy(SignedJWT jwt, CredentialProjection key) {
        try {
            return ClientSignatures.verify(jwt, JWK.parse(key.verifier));
        } catch (ParseException e) {
            return false;
        }
    }

    /** Why RFC 7523 §3 refuses these claims, or null: audience, lifetime, and a jti to make it one-time. */
    private String assertionProblem(JWTClaimsSet claims) {
        String tokenEndpoint = config.issuer() + "/oauth2/token";
        List<String> audience = claims.getAudience();
        if (!audience.contains(tokenEndpoint) && !audience.contains(config.issuer())) {
            return "assertion_audience_mismatch";
        }
        Instant now = Instant.now();
        Duration skew = config.clockSkew();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(skew))) {
            return "assertion_expired";
        }
        Instant earliest = claims.getIssueTime() == null ? now : claims.getIssueTime().toInstant();
        if (Duration.between(earliest, exp.toInstant()).compareTo(config.clientAssertionMaxLifetime()) > 0
                || Duration.between(now, exp.toInstant()).compareTo(config.clientAssertionMaxLifetime().plus(skew)) > 0) {
            return "assertion_lifetime_too_long";
        }
        if ((claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(skew)))
                || (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(skew)))) {
            return "assertion_not_yet_valid";
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank() || claims.getJWTID().length() > 256) {
            return "assertion_without_jti";
        }
        return null;
    }

    /** The credential is live and so is its agent. */
    private AuthenticatedClient usable(TokenRequest request, CredentialProjection credential, String method,
            Function<String, Optional<AgentProjection>> agents) {
        if (!credential.isActive()) {
            throw refuse(request, credential.agentId, credential.tenantId, "credential_revoked", method);
        }
        if (credential.isExpired(Instant.now())) {
            throw refuse(request, credential.agentId, credential.tenantId, "credential_expired", method);
        }
        Optional<AgentProjection> agent = agents.apply(credential.agentId);
        if (agent.isEmpty()) {
            throw refuse(request, credential.agentId, credential.tenantId, "unknown_agent", method);
        }
        if (!agent.get().isActive()) {
            throw refuse(request, credential.agentId, credential.tenantId, "agent_" + agent.get().status, method);
        }
        if (agent.get().isPublicClient()) {
            throw refuse(request, credential.agentId, credential.tenantId, "public_client", method);
        }
        return new AuthenticatedClient(agent.get(), credential.credentialId, method);
    }

    private OAuthException refuse(TokenRequest request, String clientId, String tenantId, String reason, String method) {
        events.verificationFailed(clientId, tenantId, request, reason);
        return OAuthException.invalidClient(method.equals("client_secret_basic"));
    }
}
