package io.mandate.token.service;

import io.mandate.api.ApiKey;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.grant.TokenRequest;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.rest.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates an agent by {@code client_secret_basic} or {@code client_secret_post} (client id =
 * agent id, secret = API key) against the credential projection. Every failure is the same
 * {@code invalid_client} to the caller; the precise reason goes into {@code agent.verification_failed}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private final ProjectionRepository projections;
    private final ProjectionSignal signal;
    private final TokenEvents events;
    private final TokenConfig config;
    private final byte[] pepper;

    ClientAuthenticator(ProjectionRepository projections, ProjectionSignal signal, TokenEvents events,
            TokenConfig config, @ConfigProperty(name = "mandate.credentials.pepper") String pepper) {
        this.projections = projections;
        this.signal = signal;
        this.events = events;
        this.config = config;
        this.pepper = ApiKey.pepper(pepper);
    }

    /** An authenticated agent and how it proved it. */
    public record AuthenticatedClient(AgentProjection agent, String method) {
    }

    private record ClientSecret(String clientId, String secret, String method) {
    }

    public AuthenticatedClient authenticate(TokenRequest request) {
        ClientSecret presented = presented(request);
        boolean basic = presented.method().equals("client_secret_basic");
        Optional<ApiKey> apiKey = ApiKey.parse(presented.secret());
        if (apiKey.isEmpty()) {
            throw refuse(request, presented, null, "malformed_secret", basic);
        }
        Optional<CredentialProjection> credential = signal.awaitPresent(
                () -> projections.findCredential(apiKey.get().keyId()), config.projectionMissWait());
        if (credential.isEmpty() || !credential.get().agentId.equals(presented.clientId())
                || !"api_key".equals(credential.get().kind)) {
            throw refuse(request, presented, null, "unknown_credential", basic);
        }
        if (!apiKey.get().matches(credential.get().verifier, pepper)) {
            throw refuse(request, presented, credential.get().tenantId, "secret_mismatch", basic);
        }
        if (!credential.get().isActive()) {
            throw refuse(request, presented, credential.get().tenantId, "credential_revoked", basic);
        }
        if (credential.get().isExpired(Instant.now())) {
            throw refuse(request, presented, credential.get().tenantId, "credential_expired", basic);
        }
        Optional<AgentProjection> agent = signal.awaitPresent(() -> projections.findAgent(presented.clientId()),
                config.projectionMissWait());
        if (agent.isEmpty()) {
            throw refuse(request, presented, credential.get().tenantId, "unknown_agent", basic);
        }
        if (!agent.get().isActive()) {
            throw refuse(request, presented, credential.get().tenantId, "agent_" + agent.get().status, basic);
        }
        return new AuthenticatedClient(agent.get(), presented.method());
    }

    private OAuthException refuse(TokenRequest request, ClientSecret presented, String tenantId, String reason,
            boolean basic) {
        events.verificationFailed(presented.clientId(), tenantId, request, reason);
        return OAuthException.invalidClient(basic);
    }

    private static ClientSecret presented(TokenRequest request) {
        String header = request.authorization();
        boolean inBody = request.parameter("client_secret") != null;
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (inBody) {
                throw OAuthException.invalidRequest("use one client authentication method, not two");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidClient(true);
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuthException.invalidClient(true);
            }
            // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
            return new ClientSecret(TokenRequest.decodeCredential(decoded.substring(0, colon)),
                    TokenRequest.decodeCredential(decoded.substring(colon + 1)), "client_secret_basic");
        }
        String clientId = request.parameter("client_id");
        if (clientId == null || !inBody) {
            throw OAuthException.invalidClient(false);
        }
        return new ClientSecret(clientId, request.parameter("client_secret"), "client_secret_post");
    }
}
