package io.mandate.token.grant;

import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/** What a token may carry: scopes within what is held, audiences the tenant allows. */
@ApplicationScoped
public class TokenPolicy {

    private final TokenConfig config;

    TokenPolicy(TokenConfig config) {
        this.config = config;
    }

    /**
     * The requested subset of {@code held} (wildcard-aware), or all of {@code held} when nothing is
     * requested; asking for anything not covered is {@code invalid_scope}.
     */
    public static List<String> scopes(String requested, List<String> held) {
        if (requested == null) {
            return held;
        }
        List<Permission> holding = held.stream().map(Permission::parse).toList();
        LinkedHashSet<String> granted = new LinkedHashSet<>();
        for (String scope : Arrays.stream(requested.split(" ")).filter(s -> !s.isEmpty()).toList()) {
            Permission wanted;
            try {
                wanted = Permission.parse(scope);
            } catch (BadPermissionException e) {
                throw OAuthException.invalidScope(e.getMessage());
            }
            if (!Permission.anyCovers(holding, wanted)) {
                throw OAuthException.invalidScope("scope '" + scope + "' exceeds what was granted");
            }
            granted.add(wanted.toString());
        }
        return List.copyOf(granted);
    }

    /** The members of {@code scopes} that {@code held} still covers (an agent may have lost permissions). */
    public static List<String> stillHeld(List<String> scopes, List<String> held) {
        List<Permission> holding = held.stream().map(Permission::parse).toList();
        return scopes.stream().filter(s -> Permission.anyCovers(holding, Permission.parse(s))).toList();
    }

    /**
     * The {@code aud} of the token: the {@code resource} (RFC 8707) and {@code audience} values asked
     * for, each allowed for the tenant, or the default audience when none is asked for.
     */
    public List<String> audience(TokenRequest request, String tenantId) {
        List<String> resources = request.parameters("resource");
        for (String resource : resources) {
            if (!absoluteWithoutFragment(resource)) {
                throw OAuthException.invalidTarget("resource must be an absolute URI without a fragment: " + resource);
            }
        }
        LinkedHashSet<String> wanted = new LinkedHashSet<>(resources);
        wanted.addAll(request.parameters("audience"));
        if (wanted.isEmpty()) {
            return List.of(config.defaultAudience());
        }
        List<String> allowed = config.tenant(tenantId, TokenConfig.Tenant::allowedAudiences)
                .orElse(List.of(config.defaultAudience()));
        for (String audience : wanted) {
            if (!allowed.contains(audience)) {
                throw OAuthException.invalidTarget("audience '" + audience + "' is not allowed for this tenant");
            }
        }
        return List.copyOf(wanted);
    }

    /** RFC 6749 §4.4.3 says no refresh token for client_credentials; a tenant may switch it on. */
    public boolean refreshTokensForClientCredentials(String tenantId) {
        return config.tenant(tenantId, TokenConfig.Tenant::clientCredentialsRefreshTokens).orElse(false);
    }

    /** Whether tokens of the tenant wait for Kafka to acknowledge their {@code agent.verified} (default: yes). */
    public boolean verifiedEventAcknowledged(String tenantId) {
        return config.tenant(tenantId, TokenConfig.Tenant::verifiedEventAcknowledged).orElse(true);
    }

    private static boolean absoluteWithoutFragment(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
