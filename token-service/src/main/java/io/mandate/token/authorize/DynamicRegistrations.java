package io.mandate.token.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.token.client.IdentityClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.service.AddressLimiter;
import io.mandate.token.service.ProjectionSignal;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Dynamic Client Registration (RFC 7591), the fallback MCP clients use when they have no metadata document:
 * off unless a tenant allows it. An initial access token names the tenant (only its SHA-256 is configured);
 * without one, a registration goes to the configured default tenant if its policy is {@code open} or
 * {@code allow-list}. Limited per client address. The client is registered with identity-service like every
 * other and gets tokens only through a person's consent.
 */
@ApplicationScoped
public class DynamicRegistrations {

    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);
    private static final Set<String> METHODS = Set.of("none", "client_secret_basic", "client_secret_post");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");

    /** What was registered: RFC 7591 §3.2.1's answer. */
    public record Registered(Map<String, Object> body) {
    }

    private final TokenConfig config;
    private final IdentityClient identity;
    private final ProjectionRepository projections;
    private final ProjectionSignal signal;
    private final AddressLimiter limiter;

    DynamicRegistrations(TokenConfig config, IdentityClient identity, ProjectionRepository projections,
            ProjectionSignal signal, AddressLimiter limiter) {
        this.limiter = limiter;
        this.config = config;
        this.identity = identity;
        this.projections = projections;
        this.signal = signal;
    }

    /** Whether any tenant takes registrations: discovery then names the endpoint. */
    public boolean offered() {
        return Stream.concat(Stream.of(config.defaults()), config.tenants().values().stream())
                .anyMatch(tenant -> tenant.dynamicRegistration().filter(policy -> !policy.equals("off")).isPresent());
    }

    /**
     * Registers the client {@code metadata} describes for the tenant the request names.
     *
     * @param authorization the request's {@code Authorization} header (an initial access token), or null
     * @param address the client's address, for the rate limit
     */
    public Registered register(JsonNode metadata, String authorization, String address) {
        limiter.acquire("client", address);
        String tenantId = tenant(authorization);
        String policy = config.tenant(tenantId, TokenConfig.Tenant::dynamicRegistration).orElse("off");
        boolean withToken = authorization != null;
        if (policy.equals("off") || (policy.equals("initial-access-token") && !withToken)) {
            throw new OAuthException(403, "access_denied", "this organisation does not take registrations"
                    + (policy.equals("off") ? "" : " without an initial access token"));
        }
        if (metadata == null || !metadata.isObject()) {
            throw new OAuthException(400, "invalid_client_metadata", "the body must be a JSON object of client metadata");
        }
        List<String> redirectUris = strings(metadata.path("redirect_uris"));
        if (redirectUris.isEmpty()) {
            throw new OAuthException(400, "invalid_redirect_uri", "redirect_uris is required");
        }
        if (policy.equals("allow-list")) {
            List<String> hosts = config.tenant(tenantId, TokenConfig.Tenant::registrationAllowedHosts).orElse(List.of());
            for (String uri : redirectUris) {
                String host = host(uri);
                if (hosts.stream().noneMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(host))) {
                    throw new OAuthException(400, "invalid_redirect_uri", uri + " is not on a host this organisation allows");
                }
            }
        }
        String method = metadata.path("token_endpoint_auth_method").asText("client_secret_basic");
        if (!METHODS.contains(method)) {
            throw new OAuthException(400, "invalid_client_metadata",
                    "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post");
        }
        List<String> grantTypes = metadata.has("grant_types") ? strings(metadata.path("grant_types"))
                : List.of("authorization_code");
        if (!grantTypes.contains("authorization_code") || !GRANT_TYPES.containsAll(grantTypes)) {
            throw new OAuthException(400, "invalid_client_metadata",
                    "grant_types must be authorization_code, and refresh_token at most: such a client acts for people");
        }
        if (metadata.has("response_types") && !strings(metadata.path("response_types")).equals(List.of("code"))) {
            throw new OAuthException(400, "invalid_client_metadata", "response_types must be code");
        }
        String name = metadata.path("client_name").asText(null);
        String logo = metadata.path("logo_uri").asText(null);
        IdentityClient.Registered registered;
        try {
            registered = identity.registerDynamicClient(tenantId, name, redirectUris, logo, method);
        } catch (ServiceRefused e) {
            throw e.status() == 400 ? new OAuthException(400, e.getMessage().contains("redirect")
                    ? "invalid_redirect_uri" : "invalid_client_metadata", e.getMessage())
                    : new OAuthException(503, "temporarily_unavailable", e.getMessage());
        }
        // The client may go to the authorization endpoint at once: wait for identity-service's announcement.
        signal.awaitPresent("client:" + registered.agentId(), () -> projections.findAgent(registered.agentId()),
                REGISTRATION_WAIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", registered.agentId());
        body.put("client_id_issued_at", Instant.now().getEpochSecond());
        if (registered.clientSecret() != null) {
            body.put("client_secret", registered.clientSecret());
            body.put("client_secret_expires_at", 0);
        }
        body.put("redirect_uris", redirectUris);
        body.put("token_endpoint_auth_method", method);
        body.put("grant_types", grantTypes);
        body.put("response_types", List.of("code"));
        if (name != null) {
            body.put("client_name", name);
        }
        if (logo != null) {
            body.put("logo_uri", logo);
        }
        return new Registered(body);
    }

    /** The tenant whose initial access token is presented, else the default tenant. */
    private String tenant(String authorization) {
        if (authorization == null) {
            return config.registration().defaultTenant().orElseThrow(() -> new OAuthException(401, "invalid_token",
                    "registration needs an initial access token", Map.of("WWW-Authenticate", "Bearer")));
        }
        byte[] presented = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? HexFormat.of().formatHex(Sha256.of(authorization.substring(7).strip())).getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        Optional<String> match = config.tenants().entrySet().stream().filter(tenant -> tenant.getValue()
                .registrationTokenSha256().map(hash -> MessageDigest.isEqual(
                        hash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII), presented)).orElse(false))
                .map(Map.Entry::getKey).findFirst();
        return match.orElseThrow(() -> new OAuthException(401, "invalid_token", "the initial access token is not valid",
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static String host(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
