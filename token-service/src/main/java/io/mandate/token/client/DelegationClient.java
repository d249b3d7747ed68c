package io.mandate.token.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * delegation-service's public API, called for the person signed in to a page with a short-lived token of
 * theirs: delegation-service checks their authority exactly as when they call it themselves. Pages only,
 * never the token endpoint: a person waits on a click, no agent waits on this.
 */
@ApplicationScoped
public class DelegationClient {

    private static final Duration PERSON_TOKEN_LIFETIME = Duration.ofMinutes(1);

    private final ObjectMapper json;
    private final AccessTokens tokens;
    private final ServiceApi api;

    DelegationClient(ObjectMapper json, AccessTokens tokens, TokenConfig config) {
        this.json = json;
        this.tokens = tokens;
        this.api = new ServiceApi(json, config.delegation().url(), "delegation-service");
    }

    /** A one-minute token of {@code person}, to call the API as them. */
    public String as(HumanLoginRepository.Human person) {
        return tokens.issueHuman(person, PERSON_TOKEN_LIFETIME).jwt();
    }

    /** A grant delegation-service made. */
    public record Granted(String delegationId, List<String> scopes, Instant expiresAt) {
    }

    /** The person lends {@code scopes} to the agent for {@code lifetime}; repeated with the same key, the same grant. */
    public Granted grant(HumanLoginRepository.Human person, String agentId, List<String> scopes, Duration lifetime, String purpose,
            String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agent_id", agentId);
        body.put("scopes", scopes);
        body.put("expires_in", lifetime.toSeconds());
        body.put("purpose", purpose);
        JsonNode granted = call(as(person), "POST", "/v1/delegations", body, idempotencyKey).path("delegation");
        return new Granted(granted.path("id").asText(), json.convertValue(granted.path("scopes"),
                json.getTypeFactory().constructCollectionType(List.class, String.class)),
                Instant.parse(granted.path("expires_at").asText()));
    }

    /** Calls the API with {@code bearer} (the person's, or an agent's); the JSON answer of a 2xx. */
    public JsonNode call(String bearer, String method, String path, Object body, String idempotencyKey) {
        return api.call(bearer, method, path, body, idempotencyKey);
    }
}
