package io.mandate.token.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.api.TypeIds;
import io.mandate.token.AgentProjection;
import io.mandate.token.client.DelegationClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.grant.TokenPolicy;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.BackchannelRepository;
import io.mandate.token.repository.BackchannelRepository.Status;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.Target;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CIBA backchannel authentication requests (poll mode): an agent names a person, they are asked in their
 * approvals inbox (a delegation request in delegation-service, with a {@code delegation.requested} event a
 * webhook can carry to a chat), and the agent polls the token endpoint until they answered.
 */
@ApplicationScoped
public class Backchannel {

    public static final String PREFIX = "mnd_ar_";
    private static final int MAX_BINDING_MESSAGE = 200;

    private final HumanLoginRepository humans;
    private final BackchannelRepository repository;
    private final DelegationClient delegations;
    private final AccessTokens tokens;
    private final ObjectMapper json;
    private final TokenConfig config;
    private final TokenPolicy policy;

    Backchannel(HumanLoginRepository humans, BackchannelRepository repository, DelegationClient delegations,
            AccessTokens tokens, ObjectMapper json, TokenConfig config, TokenPolicy policy) {
        this.policy = policy;
        this.humans = humans;
        this.repository = repository;
        this.delegations = delegations;
        this.tokens = tokens;
        this.json = json;
        this.config = config;
    }

    /** What {@code /oauth2/bc-authorize} answers. */
    public record Started(String authReqId, long expiresIn, int interval) {
    }

    /** Asks the person {@code login_hint} names, in the agent's name; OAuth errors as CIBA §13 names them. */
    public Started start(AgentProjection agent, TokenRequest request) {
        if (request.parameter("id_token_hint") != null || request.parameter("login_hint_token") != null) {
            throw OAuthException.invalidRequest("only login_hint (a username or email) is supported");
        }
        String hint = request.parameter("login_hint");
        if (hint == null) {
            throw OAuthException.invalidRequest("login_hint is required");
        }
        if (request.parameter("scope") == null) {
            throw OAuthException.invalidRequest("scope is required");
        }
        List<String> scopes = TokenPolicy.scopes(policy.catalogue(agent.tenantId), request.parameter("scope"),
                agent.permissions);
        String bindingMessage = request.parameter("binding_message");
        if (bindingMessage != null && bindingMessage.length() > MAX_BINDING_MESSAGE) {
            throw new OAuthException(400, "invalid_binding_message",
                    "binding_message is longer than " + MAX_BINDING_MESSAGE + " characters");
        }
        HumanLoginRepository.Human person = humans.byLoginHint(agent.tenantId, hint)
                .orElseThrow(() -> new OAuthException(400, "unknown_user_id", "login_hint names no active account"));
        Map<String, Object> ask = new LinkedHashMap<>();
        ask.put("user_id", person.userId());
        ask.put("scopes", scopes);
        ask.put("purpose", bindingMessage != null ? bindingMessage
                : "Sign-in request from " + (agent.name == null ? agent.agentId : agent.name));
        ask.put("expires_in", config.browser().backchannelGrantLifetime().toSeconds());
        ask.put("authorization_details", authorizationDetails(request.parameter("authorization_details")));
        String agentToken = tokens.issue(agent, scopes, Target.of(List.of(config.defaultAudience())), null).jwt();
        JsonNode asked;
        try {
            asked = delegations.call(agentToken, "POST", "/v1/delegations/requests", ask, null);
        } catch (ServiceRefused e) {
            throw new OAuthException(e.status() == 503 ? 503 : 400, e.status() == 503 ? "temporarily_unavailable"
                    : "invalid_request", e.getMessage());
        }
        return recorded(agent, person, asked);
    }

    @Transactional
    Started recorded(AgentProjection agent, HumanLoginRepository.Human person, JsonNode asked) {
        String authReqId = PREFIX + TypeIds.randomToken(32);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = Instant.parse(asked.path("expires_at").asText());
        int interval = (int) config.browser().backchannelPollInterval().toSeconds();
        repository.insert(new BackchannelRepository.Row(hash(authReqId), agent.tenantId, agent.agentId, person.userId(),
                asked.path("id").asText(), Status.pending, interval, now, expires, null, null, null, null));
        return new Started(authReqId, Math.max(1, Duration.between(now, expires).toSeconds()), interval);
    }

    /** RFC 9396: a JSON array of objects with a {@code type} each, or absent. */
    private JsonNode authorizationDetails(String text) {
        if (text == null) {
            return null;
        }
        try {
            JsonNode details = json.readTree(text);
            if (details.isArray() && !details.isEmpty()) {
                boolean typed = true;
                for (JsonNode detail : details) {
                    typed &= detail.isObject() && detail.path("type").isTextual();
                }
                if (typed) {
                    return details;
                }
            }
        } catch (IOException e) {
            // refused below
        }
        throw new OAuthException(400, "invalid_authorization_details",
                "authorization_details must be a JSON array of objects, each with a type");
    }

    public static String hash(String authReqId) {
        return Sha256.base64Url(authReqId);
    }
}
