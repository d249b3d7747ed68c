package io.mandate.token.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.service.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * identity-service's API, called by token-service itself for a tenant: registering what registers itself,
 * clients ({@code client_registrar}: a metadata document, RFC 7591) and agents that proved their OpenPGP key
 * ({@code agent_registrar}). Never on the token endpoint's path.
 */
@ApplicationScoped
public class IdentityClient {

    private static final String CLIENT_REGISTRAR = "client_registrar";
    private static final String AGENT_REGISTRAR = "agent_registrar";
    private static final String PERSON_REGISTRAR = "person_registrar";

    private final AccessTokens tokens;
    private final ServiceApi api;

    IdentityClient(ObjectMapper json, AccessTokens tokens, TokenConfig config) {
        this.tokens = tokens;
        this.api = new ServiceApi(json, config.identity().url(), "identity-service");
    }

    /**
     * Registers the tenant's client for {@code document}, or brings it up to date with it.
     *
     * @return its agent id
     * @throws ServiceRefused when identity-service refuses (a client a tenant admin revoked: 409) or is unreachable
     */
    public String registerMetadataClient(String tenantId, ClientMetadataDocuments.Document document) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", document.clientId());
        body.put("client_name", document.name());
        body.put("redirect_uris", document.redirectUris());
        body.put("logo_uri", document.logoUri());
        return api.call(tokens.issueService(tenantId, CLIENT_REGISTRAR), "PUT", "/v1/metadata-clients", body, null)
                .path("id").asText();
    }

    /** A client registered dynamically: its agent id, and its client secret (null for a public client). */
    public record Registered(String agentId, String clientSecret) {
    }

    /**
     * Registers a client that registered itself at token-service (RFC 7591) in {@code tenantId}.
     *
     * @throws ServiceRefused when identity-service refuses the settings (400) or is unreachable
     */
    public Registered registerDynamicClient(String tenantId, String name, List<String> redirectUris, String logoUri,
            String tokenEndpointAuthMethod) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_name", name);
        body.put("redirect_uris", redirectUris);
        body.put("logo_uri", logoUri);
        body.put("token_endpoint_auth_method", tokenEndpointAuthMethod);
        var answer = api.call(tokens.issueService(tenantId, CLIENT_REGISTRAR), "POST", "/v1/dynamic-clients", body, null);
        return new Registered(answer.path("agent").path("id").asText(), answer.path("client_secret").asText(null));
    }

    /** An agent that onboarded itself: its id, its PGP credential and the key's fingerprint. */
    public record RegisteredAgent(String agentId, String credentialId, String fingerprint) {
    }

    /**
     * Registers an agent that proved its OpenPGP key, with {@code permissions}, in {@code tenantId}.
     *
     * @throws ServiceRefused when identity-service refuses (a key already registered: 409) or is unreachable
     */
    public RegisteredAgent registerPgpAgent(String tenantId, String name, String publicKey, List<String> permissions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("pgp_public_key", publicKey);
        body.put("permissions", permissions);
        var answer = api.call(tokens.issueService(tenantId, AGENT_REGISTRAR), "POST", "/v1/self-registered-agents", body,
                null);
        return new RegisteredAgent(answer.path("agent").path("id").asText(), answer.path("credential_id").asText(),
                answer.path("fingerprint").asText());
    }

    /**
     * A person signs up, with an invitation's secret or to an open tenant.
     *
     * @return the account's id
     * @throws ServiceRefused with identity-service's reason (a used link, a taken username, a weak password, ...)
     */
    public String signUp(String invitation, String tenantId, String username, String email, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("invitation", invitation);
        body.put("tenant_id", tenantId);
        body.put("username", username);
        body.put("email", email);
        body.put("password", password);
        // The tenant an invitation belongs to is identity-service's to find: the token names none then.
        String bearer = tokens.issueService(tenantId == null ? "ten_invited" : tenantId, PERSON_REGISTRAR);
        return api.call(bearer, "POST", "/v1/signups", body, null).path("id").asText();
    }
}
