package io.mandate.token.grant;

import io.mandate.token.ResourceProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ProjectionCache;
import io.mandate.token.service.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Whom a token is for (RFC 8707): a resource the tenant registered (then the token follows its scopes,
 * lifetime and binding, and names it alone), audiences the tenant's configuration allows, or the
 * default audience. Anything else is {@code invalid_target}.
 */
@ApplicationScoped
public class Targets {

    private final TokenConfig config;
    private final ProjectionCache cache;

    Targets(TokenConfig config, ProjectionCache cache) {
        this.config = config;
        this.cache = cache;
    }

    /** The {@code resource} (absolute, no fragment) and {@code audience} values a request names, once each. */
    public static List<String> requested(TokenRequest request) {
        List<String> resources = request.parameters("resource");
        for (String resource : resources) {
            if (!absoluteWithoutFragment(resource)) {
                throw OAuthException.invalidTarget("resource must be an absolute URI without a fragment: " + resource);
            }
        }
        LinkedHashSet<String> wanted = new LinkedHashSet<>(resources);
        wanted.addAll(request.parameters("audience"));
        return List.copyOf(wanted);
    }

    /** The target a request names. Blocking: a resource not in memory is read. */
    public Target of(TokenRequest request, String tenantId) {
        return of(requested(request), tenantId);
    }

    /** The target {@code wanted} names (a request's, or what a code or refresh token was issued for). Blocking. */
    public Target of(List<String> wanted, String tenantId) {
        if (wanted.isEmpty()) {
            return defaultTarget();
        }
        Optional<ResourceProjection> registered = Optional.empty();
        List<String> unregistered = new ArrayList<>();
        for (String audience : wanted) {
            Optional<ResourceProjection> resource = cache.resource(audience);
            if (resource.isPresent() && resource.get().tenantId.equals(tenantId)) {
                registered = resource;
            } else {
                unregistered.add(audience);
            }
        }
        if (registered.isPresent() && wanted.size() > 1) {
            throw OAuthException.invalidTarget("a token for " + registered.get().uri
                    + " names that resource alone: ask for one token per resource");
        }
        List<String> allowed = config.tenant(tenantId, TokenConfig.Tenant::allowedAudiences)
                .orElse(List.of(config.defaultAudience()));
        for (String audience : unregistered) {
            if (!allowed.contains(audience)) {
                throw OAuthException.invalidTarget("audience '" + audience + "' is not allowed for this tenant");
            }
        }
        return new Target(List.copyOf(wanted), registered);
    }

    /** Mandate's own APIs: the default audience. */
    public Target defaultTarget() {
        return Target.of(List.of(config.defaultAudience()));
    }

    /** Whether this replica knows from memory what each resource and audience the request names is. */
    public boolean inMemory(TokenRequest request) {
        return request.parameters("resource").stream().allMatch(cache::resourceInMemory)
                && request.parameters("audience").stream().allMatch(cache::resourceInMemory);
    }

    /** A resource that requires DPoP gets no bearer token (RFC 9449; RFC 9728 {@code dpop_bound_access_tokens_required}). */
    public static void requireBinding(Target target, String dpopJkt) {
        target.resource().filter(resource -> resource.dpopRequired && dpopJkt == null).ifPresent(resource -> {
            throw new OAuthException(400, "invalid_dpop_proof",
                    "tokens for " + resource.uri + " are bound to a key: send a DPoP proof");
        });
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
