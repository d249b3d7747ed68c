package io.mandate.token.grant;

import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import io.mandate.token.AgentProjection;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.rest.OAuthException;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.ClientAuthenticator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The OAuth {@code client_credentials} grant (RFC 6749 §4.4) for agents. Writes nothing to the
 * database: the token is returned once Kafka acknowledged its {@code agent.verified} event.
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    public static final String GRANT_TYPE = "client_credentials";

    private final ClientAuthenticator authenticator;
    private final AccessTokens tokens;
    private final TokenEvents events;

    ClientCredentialsGrant(ClientAuthenticator authenticator, AccessTokens tokens, TokenEvents events) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.events = events;
    }

    public AccessTokens.AccessToken grant(TokenRequest request) {
        ClientAuthenticator.AuthenticatedClient client = authenticator.authenticate(request);
        List<String> scopes = scopes(request.parameter("scope"), client.agent());
        AccessTokens.AccessToken token = tokens.issue(client.agent(), scopes);
        events.verified(client.agent().tenantId, client.agent().agentId, client.method(), token.jti(), scopes, request);
        return token;
    }

    /** The requested subset of the agent's permissions, or all of them when none is requested. */
    static List<String> scopes(String requested, AgentProjection agent) {
        if (requested == null) {
            return agent.permissions;
        }
        List<Permission> held = agent.permissions.stream().map(Permission::parse).toList();
        LinkedHashSet<String> granted = new LinkedHashSet<>();
        for (String scope : Arrays.stream(requested.split(" ")).filter(s -> !s.isEmpty()).toList()) {
            Permission wanted;
            try {
                wanted = Permission.parse(scope);
            } catch (BadPermissionException e) {
                throw OAuthException.invalidScope(e.getMessage());
            }
            if (!Permission.anyCovers(held, wanted)) {
                throw OAuthException.invalidScope("scope '" + scope + "' exceeds the agent's permissions");
            }
            granted.add(wanted.toString());
        }
        return List.copyOf(granted);
    }
}
