package io.mandate.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * An agent's way to Mandate: gets access tokens (client credentials, or a token exchange of a delegation), keeps
 * them, renews each shortly before it expires with one request however many threads ask at once, and presents them
 * to APIs with a DPoP proof when they are bound. Thread-safe; make one per agent and keep it.
 *
 * <pre>{@code
 * MandateClient mandate = MandateClient.builder()
 *         .issuer(URI.create("https://auth.example.com"))
 *         .credentials(ClientCredentials.secret("agt_…", apiKey))
 *         .scope("crm:contacts:read")
 *         .build();
 * HttpResponse<String> contacts = mandate.send(HttpRequest.newBuilder(URI.create("https://crm.example.com/contacts")));
 * }</pre>
 */
public final class MandateClient {

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Set<String> REPEATABLE_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final URI issuer;
    private final ClientCredentials credentials;
    private final DpopKey dpop;
    private final String scope;
    private final String resource;
    private final Duration renewBefore;
    private final MandateHttp http;
    private final Supplier<AuthorizationServer> server;
    private final Map<String, TokenSlot> slots = new ConcurrentHashMap<>();
    private final AtomicLong tokenRequests = new AtomicLong();

    private MandateClient(Builder builder) {
        this.issuer = Objects.requireNonNull(builder.issuer, "issuer");
        this.credentials = Objects.requireNonNull(builder.credentials, "credentials");
        this.dpop = builder.dpop;
        this.scope = builder.scope;
        this.resource = builder.resource;
        this.renewBefore = builder.renewBefore;
        this.http = builder.http;
        URI tokenEndpoint = builder.tokenEndpoint;
        this.server = tokenEndpoint != null ? () -> new AuthorizationServer(issuer, tokenEndpoint, Map.of())
                : AuthorizationServer.discovering(issuer, http);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The token for the configured scope and resource, from the cache while it has life left. */
    public AccessToken token() {
        return token(scope, resource);
    }

    /** The access token's value, for an {@code Authorization} header you build yourself. */
    public String accessToken() {
        return token().value();
    }

    /** A client_credentials token for these scopes (space-separated, null for all the agent holds) and resource. */
    public AccessToken token(String scope, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        putIfPresent(form, "scope", scope);
        putIfPresent(form, "resource", resource);
        return slot("cc " + scope + " " + resource, form).get();
    }

    /** An access token for what a person lent this agent (RFC 8693), kept and renewed like any other. */
    public AccessToken exchange(TokenExchange exchange) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("subject_token", exchange.subjectToken());
        form.put("subject_token_type", exchange.subjectTokenType());
        putIfPresent(form, "scope", exchange.scope());
        putIfPresent(form, "resource", exchange.resource());
        return slot("te " + DpopKey.hash(exchange.subjectToken()) + " " + exchange.scope() + " " + exchange.resource(),
                form).get();
    }

    /**
     * Sends a request to an API with the configured token ({@code Authorization}, and {@code DPoP} when bound).
     * Answers the server's {@code use_dpop_nonce} once, and on {@code invalid_token} renews the token and tries once
     * more (the token may have been revoked, or signed by a key the API does not know yet).
     */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, token());
    }

    /** {@link #send(HttpRequest.Builder)} with a token you got from this client (an exchanged one, say). */
    public HttpResponse<String> send(HttpRequest.Builder request, AccessToken token) {
        HttpRequest probe = request.copy().build();
        boolean repeatable = REPEATABLE_METHODS.contains(probe.method());
        HttpResponse<String> response = sendWith(request, probe, token, repeatable);
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        if (response.statusCode() == 401 && dpop != null && challenge.contains("use_dpop_nonce")) {
            response = sendWith(request, probe, token, repeatable);
        } else if (response.statusCode() == 401 && challenge.contains("invalid_token")) {
            TokenSlot owner = slots.values().stream().filter(slot -> slot.holds(token)).findFirst().orElse(null);
            if (owner != null) {
                owner.forget(token);
                AccessToken renewed = owner.get();
                if (!renewed.value().equals(token.value())) {
                    response = sendWith(request, probe, renewed, repeatable);
                }
            }
        }
        return response;
    }

    /** How many requests this client sent to the token endpoint (nonce and retry repeats not counted). */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** The DPoP key's thumbprint, or null for bearer tokens. */
    public String dpopThumbprint() {
        return dpop == null ? null : dpop.thumbprint();
    }

    public URI issuer() {
        return issuer;
    }

    private HttpResponse<String> sendWith(HttpRequest.Builder request, HttpRequest probe, AccessToken token,
            boolean repeatable) {
        HttpResponse<String> response = http.send(() -> {
            HttpRequest.Builder copy = request.copy().setHeader("Authorization", token.authorization());
            if (token.dpopBound()) {
                if (dpop == null) {
                    throw new IllegalStateException("a DPoP-bound token needs the client's DPoP key");
                }
                copy.setHeader("DPoP", dpop.proof(probe.method(), probe.uri(), token.value()));
            }
            return copy.build();
        }, repeatable);
        rememberNonce(probe.uri(), response);
        return response;
    }

    private TokenSlot slot(String key, Map<String, String> form) {
        return slots.computeIfAbsent(key, k -> new TokenSlot(() -> requestToken(form, true),
                refresh -> requestToken(Map.of("grant_type", "refresh_token", "refresh_token", refresh), false),
                http.clock(), renewBefore));
    }

    private AccessToken requestToken(Map<String, String> parameters, boolean repeatable) {
        URI endpoint = server.get().tokenEndpoint();
        Supplier<HttpRequest> build = () -> {
            Map<String, String> form = new LinkedHashMap<>(parameters);
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
            credentials.apply(request, form, endpoint);
            if (dpop != null) {
                request.header("DPoP", dpop.proof("POST", endpoint, null));
            }
            return request.POST(HttpRequest.BodyPublishers.ofString(formEncode(form))).build();
        };
        tokenRequests.incrementAndGet();
        HttpResponse<String> response = http.send(build, repeatable);
        rememberNonce(endpoint, response);
        if (dpop != null && response.statusCode() == 400 && "use_dpop_nonce".equals(http.failure(response).error())) {
            response = http.send(build, repeatable);
            rememberNonce(endpoint, response);
        }
        return AccessToken.from(http.expectJson(response), http.clock().instant());
    }

    private void rememberNonce(URI uri, HttpResponse<String> response) {
        if (dpop != null) {
            dpop.rememberNonce(uri, response.headers().firstValue("DPoP-Nonce").orElse(null));
        }
    }

    private static void putIfPresent(Map<String, String> form, String name, String value) {
        if (value != null && !value.isBlank()) {
            form.put(name, value);
        }
    }

    static String formEncode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** Settings of a {@link MandateClient}; issuer and credentials are required. */
    public static final class Builder {

        private URI issuer;
        private URI tokenEndpoint;
        private ClientCredentials credentials;
        private DpopKey dpop;
        private String scope;
        private String resource;
        private Duration renewBefore = Duration.ofSeconds(60);
        private MandateHttp http = MandateHttp.defaults();

        private Builder() {
        }

        /** Mandate's issuer (token-service); the token endpoint comes from its RFC 8414 metadata. */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Skips discovery and uses this token endpoint. */
        public Builder tokenEndpoint(URI tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
            return this;
        }

        public Builder credentials(ClientCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Binds every token to this key (RFC 9449). */
        public Builder dpop(DpopKey key) {
            this.dpop = key;
            return this;
        }

        /** The scopes {@link MandateClient#token()} asks for, space-separated; by default all the agent holds. */
        public Builder scope(String scope) {
            this.scope = scope;
            return this;
        }

        /** The API {@link MandateClient#token()} asks a token for (RFC 8707 {@code resource}). */
        public Builder resource(String resource) {
            this.resource = resource;
            return this;
        }

        /** Renew a token this long before it expires (at most a fifth of its life); 60 s by default. */
        public Builder renewBefore(Duration renewBefore) {
            this.renewBefore = renewBefore;
            return this;
        }

        /** The HTTP client, retry policy and clock (for a proxy, a custom TLS setup or fewer retries). */
        public Builder http(MandateHttp http) {
            this.http = http;
            return this;
        }

        public MandateClient build() {
            return new MandateClient(this);
        }
    }
}
