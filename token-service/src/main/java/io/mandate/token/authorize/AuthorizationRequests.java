package io.mandate.token.authorize;

import io.mandate.api.TypeIds;
import io.mandate.token.AgentProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.client.ClientMetadataDocuments;
import io.mandate.token.grant.Targets;
import io.mandate.token.grant.TokenPolicy;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.AuthorizationRepository;
import io.mandate.token.service.ProjectionCache;
import io.mandate.token.service.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks authorization requests (RFC 6749 §4.1.1 with OAuth 2.1's rules: PKCE S256 required, {@code plain}
 * refused, redirect URIs matched exactly) and keeps them while the person signs in and consents. A request
 * may arrive in the query of {@code /oauth2/authorize} or be pushed first (RFC 9126) and named there by its
 * {@code request_uri}.
 */
@ApplicationScoped
public class AuthorizationRequests {

    public static final String OFFLINE_ACCESS = "offline_access";
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";
    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent");
    private static final int MAX_STATE = 1024;

    private final ProjectionCache agents;
    private final TokenPolicy policy;
    private final AuthorizationRepository repository;
    private final TokenConfig.Browser config;
    private final Targets targets;
    private final MetadataClients metadataClients;

    AuthorizationRequests(ProjectionCache agents, TokenPolicy policy, AuthorizationRepository repository,
            TokenConfig config, Targets targets, MetadataClients metadataClients) {
        this.targets = targets;
        this.metadataClients = metadataClients;
        this.agents = agents;
        this.policy = policy;
        this.repository = repository;
        this.config = config.browser();
    }

    /**
     * The request a browser brought to the authorization endpoint, checked and stored for the pages: its own
     * parameters, or the pushed request its {@code request_uri} names (used up by this).
     */
    @Transactional
    public AuthorizationRequest arrived(TokenRequest parameters) {
        String requestUri = parameters.parameter("request_uri");
        if (requestUri == null) {
            AuthorizationRequest request = check(parameters, null, false);
            repository.insertRequest(request);
            return request;
        }
        String clientId = parameters.parameter("client_id");
        String requestId = requestUri.startsWith(REQUEST_URI_PREFIX) ? requestUri.substring(REQUEST_URI_PREFIX.length()) : "";
        AuthorizationRequest pushed = repository.findRequest(requestId, true)
                .filter(r -> r.clientId().equals(clientId))
                .filter(r -> repository.takePushed(r.requestId(), Instant.now().plus(config.requestLifetime())))
                .orElseThrow(() -> AuthorizationError.onPage("invalid_request",
                        "the request_uri is unknown, used or expired, or was pushed by another client"));
        return pushed;
    }

    /** A pushed authorization request (RFC 9126) of an authenticated client; refusals are OAuth JSON errors. */
    @Transactional
    public AuthorizationRequest pushed(TokenRequest parameters, String clientId) {
        if (parameters.parameter("request_uri") != null) {
            throw OAuthException.invalidRequest("a pushed request cannot itself name a request_uri");
        }
        AuthorizationRequest request;
        try {
            request = check(parameters, clientId, true);
        } catch (AuthorizationError e) {
            throw new OAuthException(400, e.error(), e.getMessage());
        }
        repository.insertRequest(request);
        return request;
    }

    /** A stored request the pages continue; empty when it is unknown, answered or expired. */
    public Optional<AuthorizationRequest> waiting(String requestId) {
        return requestId == null ? Optional.empty() : repository.findRequest(requestId, false);
    }

    /** The client asking: an active agent registered as an OAuth client for the browser flows. */
    public Optional<AgentProjection> client(String clientId) {
        return clientId == null ? Optional.empty()
                : agents.agent(clientId).filter(a -> a.clientType != null && a.isActive());
    }

    private AuthorizationRequest check(TokenRequest parameters, String authenticatedClient, boolean pushed) {
        String clientId = parameters.parameter("client_id");
        if (authenticatedClient != null && clientId != null && !clientId.equals(authenticatedClient)) {
            throw AuthorizationError.onPage("invalid_request", "client_id is not the client that authenticated");
        }
        clientId = authenticatedClient != null ? authenticatedClient : clientId;
        AgentProjection client = ClientMetadataDocuments.isUrl(clientId) ? metadataClients.client(clientId, parameters)
                : client(clientId).orElseThrow(() -> AuthorizationError.onPage("invalid_client",
                        "the client_id is missing, unknown, not active, or not registered for sign-in"));
        String redirectUri = redirectUri(parameters.parameter("redirect_uri"), client);
        String state = parameters.parameter("state");
        if (state != null && state.length() > MAX_STATE) {
            throw AuthorizationError.onPage("invalid_request", "state is longer than " + MAX_STATE + " characters");
        }
        Refusal refuse = (error, description) -> AuthorizationError.redirected(error, description, redirectUri, state);
        if (!"code".equals(parameters.parameter("response_type"))) {
            throw refuse.with("unsupported_response_type", "response_type must be code");
        }
        String responseMode = parameters.parameter("response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            throw refuse.with("invalid_request", "response_mode must be query");
        }
        String challenge = parameters.parameter("code_challenge");
        if (challenge == null) {
            throw refuse.with("invalid_request", "code_challenge is required (PKCE, S256)");
        }
        if (!"S256".equals(parameters.parameter("code_challenge_method"))) {
            throw refuse.with("invalid_request", "code_challenge_method must be S256; plain is not accepted");
        }
        if (!CODE_CHALLENGE.matcher(challenge).matches()) {
            throw refuse.with("invalid_request", "code_challenge must be a base64url SHA-256 (43 characters)");
        }
        String prompt = prompt(parameters.parameter("prompt"), refuse);
        List<String> requested = parameters.parameter("scope") == null ? List.of()
                : Arrays.stream(parameters.parameter("scope").split(" ")).filter(s -> !s.isEmpty()).toList();
        boolean offline = requested.contains(OFFLINE_ACCESS);
        List<String> permissions = requested.stream().filter(s -> !s.equals(OFFLINE_ACCESS)).toList();
        List<String> scopes;
        List<String> resources;
        try {
            Target target = targets.of(parameters, client.tenantId);
            scopes = TokenPolicy.scopes(policy.catalogue(client.tenantId),
                    permissions.isEmpty() ? null : String.join(" ", permissions), client.permissions, target.resource());
            resources = target.audience();
        } catch (OAuthException e) {
            throw refuse.with(e.error(), e.getMessage());
        }
        Instant expiresAt = Instant.now().plus(pushed ? config.pushedRequestLifetime() : config.requestLifetime())
                .truncatedTo(ChronoUnit.MICROS);
        return new AuthorizationRequest(TypeIds.randomToken(24), client.tenantId, client.agentId, redirectUri, scopes,
                offline, resources, state, challenge, prompt, pushed, expiresAt);
    }

    @FunctionalInterface
    private interface Refusal {
        AuthorizationError with(String error, String description);
    }

    /** The redirect URI the answer goes to: the one named, if registered; else the client's only one. */
    private static String redirectUri(String presented, AgentProjection client) {
        if (presented == null) {
            if (client.redirectUris.size() == 1) {
                return client.redirectUris.get(0);
            }
            throw AuthorizationError.onPage("invalid_request", "redirect_uri is required: the client registered several");
        }
        if (!RedirectUris.registered(presented, client.redirectUris)) {
            throw AuthorizationError.onPage("invalid_request", "the redirect_uri is not registered for this client");
        }
        return presented;
    }

    private static String prompt(String prompt, Refusal refuse) {
        if (prompt == null) {
            return null;
        }
        List<String> values = new ArrayList<>(Arrays.stream(prompt.split(" ")).filter(p -> !p.isEmpty()).toList());
        if (!PROMPTS.containsAll(values) || (values.contains("none") && values.size() > 1)) {
            throw refuse.with("invalid_request", "prompt must be none, or login and/or consent");
        }
        return String.join(" ", values);
    }
}
