package io.mandate.token.grant;

import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ProjectionCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What a token may carry: scopes within what is held (with what the tenant's catalogue says each
 * implies), audiences the tenant allows.
 */
@ApplicationScoped
public class TokenPolicy {

    private final TokenConfig config;
    private final ProjectionCache cache;

    TokenPolicy(TokenConfig config, ProjectionCache cache) {
        this.config = config;
        this.cache = cache;
    }

    /** The tenant's scope catalogue: from memory, else read (blocking). */
    public ScopeCatalogue catalogue(String tenantId) {
        return cache.catalogue(tenantId);
    }

    /** The tenant's scope catalogue if this replica has it in memory (never blocks). */
    public Optional<ScopeCatalogue> cachedCatalogue(String tenantId) {
        return cache.cachedCatalogue(tenantId);
    }

    /**
     * The requested subset of {@code held}, or all of {@code held} when nothing is requested. Asking for
     * a scope the catalogue does not know, or one {@code held} does not cover, is {@code invalid_scope}
     * (RFC 6749 has one error for both; the description tells them apart).
     */
    public static List<String> scopes(ScopeCatalogue catalogue, String requested, List<String> held) {
        if (requested == null) {
            return held;
        }
        List<String> wanted = new ArrayList<>();
        for (String scope : new LinkedHashSet<>(Arrays.asList(requested.split(" ")))) {
            if (scope.isEmpty()) {
                continue;
            }
            try {
                wanted.add(Scope.parse(scope).value());
            } catch (BadScopeException e) {
                throw OAuthException.invalidScope(e.getMessage());
            }
        }
        List<String> unknown = catalogue.unknown(wanted);
        if (!unknown.isEmpty()) {
            throw OAuthException.invalidScope("unknown scope: " + String.join(" ", unknown));
        }
        List<String> uncovered = catalogue.uncovered(held, wanted);
        if (!uncovered.isEmpty()) {
            throw OAuthException.invalidScope("not held: " + String.join(" ", uncovered));
        }
        return List.copyOf(wanted);
    }

    /** The members of {@code scopes} that {@code held} still covers (an agent may have lost permissions). */
    public static List<String> stillHeld(ScopeCatalogue catalogue, List<String> scopes, List<String> held) {
        return catalogue.covered(held, scopes);
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
