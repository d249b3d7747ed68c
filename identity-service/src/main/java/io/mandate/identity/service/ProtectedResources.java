package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.auth.AuthConfig;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.ProtectedResource;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.mapping.ResourceView;
import io.mandate.identity.repository.ProtectedResourceRepository;
import io.mandate.jose.ClaimProfile;
import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The resources a tenant protects: registered, changed and removed by tenant admins, announced as
 * {@code resource.registered}, {@code .updated} and {@code .removed} with the whole resource (and its
 * RFC 9728 metadata), so that token-service issues tokens for them.
 */
@ApplicationScoped
public class ProtectedResources {

    static final int MAX_SCOPES = 100;
    private static final int MAX_URI = 2000;
    private static final int MIN_LIFETIME = 60;
    private static final int MAX_LIFETIME = 86_400;

    /** What a tenant admin says a resource is; the same for a registration and a replacement. */
    public record Definition(String uri, String name, List<ProtectedResource.Scope> scopes, Integer accessTokenLifetime,
            boolean dpopRequired, boolean metadataHosted, List<String> claims) {
    }

    private final ProtectedResourceRepository resources;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;
    private final String issuer;

    ProtectedResources(ProtectedResourceRepository resources, IdempotencyKeys idempotencyKeys, IdentityEvents events,
            AuthConfig auth) {
        this.resources = resources;
        this.issuer = auth.issuer();
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
    }

    /** The resource as callers and events see it, with its RFC 9728 metadata naming this platform's issuer. */
    public ResourceView view(ProtectedResource resource) {
        return ResourceView.of(resource, issuer);
    }

    public List<ProtectedResource> list(String tenantId) {
        return resources.list(tenantId);
    }

    public ProtectedResource find(String tenantId, String id) {
        return resources.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("resource_not_found",
                "no resource " + id + " in this tenant"));
    }

    /** The scopes every resource of the tenant lists, with what each implies: part of the tenant's catalogue. */
    public Map<String, List<String>> scopes(String tenantId) {
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        for (ProtectedResource resource : resources.list(tenantId)) {
            resource.scopes.forEach(s -> scopes.computeIfAbsent(s.scope(), k -> new ArrayList<>()).addAll(s.implies()));
        }
        return scopes;
    }

    @Transactional
    public IdempotencyKeys.Outcome<ProtectedResource> register(String tenantId, Definition definition,
            String idempotencyKey, Actor actor) {
        String id = TypeIds.newId("res");
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/resources " + definition, id,
                earlier -> find(tenantId, earlier), () -> insert(tenantId, id, definition, actor));
    }

    private ProtectedResource insert(String tenantId, String id, Definition definition, Actor actor) {
        ProtectedResource resource = new ProtectedResource();
        resource.id = id;
        resource.tenantId = tenantId;
        apply(resource, definition);
        resource.version = 1;
        resource.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        resource.updatedAt = resource.createdAt;
        resources.insert(resource);
        events.resourceChanged(IdentityEvents.RESOURCE_REGISTERED, view(resource), actor);
        return resource;
    }

    /** Replaces what the resource is; tokens issued from now on follow it. */
    @Transactional
    public ProtectedResource replace(String tenantId, String id, Definition definition, Actor actor) {
        ProtectedResource resource = find(tenantId, id);
        apply(resource, definition);
        resource.version++;
        resource.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        resources.update(resource);
        events.resourceChanged(IdentityEvents.RESOURCE_UPDATED, view(resource), actor);
        return resource;
    }

    /** Removes the resource: no new token names it; tokens already issued run out. */
    @Transactional
    public void remove(String tenantId, String id, Actor actor) {
        ProtectedResource resource = find(tenantId, id);
        resources.delete(tenantId, id);
        resource.version++;
        events.resourceChanged(IdentityEvents.RESOURCE_REMOVED, view(resource), actor);
    }

    private void apply(ProtectedResource resource, Definition definition) {
        String problem = uriProblem(definition.uri());
        if (problem != null) {
            throw ProblemException.invalid("uri", problem);
        }
        if (resources.uriTaken(definition.uri(), resource.id)) {
            throw new ProblemException(409, "resource_uri_taken", "Conflict",
                    "another resource is registered with this URI", List.of(new Problem.FieldError("uri", "taken")));
        }
        Integer lifetime = definition.accessTokenLifetime();
        if (lifetime != null && (lifetime < MIN_LIFETIME || lifetime > MAX_LIFETIME)) {
            throw ProblemException.invalid("access_token_lifetime",
                    "between " + MIN_LIFETIME + " and " + MAX_LIFETIME + " seconds");
        }
        resource.uri = definition.uri();
        resource.name = definition.name() == null || definition.name().isBlank() ? null : definition.name().strip();
        resource.scopes = checkedScopes(definition.scopes());
        resource.accessTokenLifetime = lifetime;
        resource.dpopRequired = definition.dpopRequired();
        resource.metadataHosted = definition.metadataHosted();
        resource.claims = definition.claims() == null ? null : checkedClaims(definition.claims());
    }

    /**
     * Why {@code uri} cannot name a resource, or null: absolute https (http only on loopback, for
     * development), without fragment, query, user info or wildcard (RFC 8707 §2).
     */
    static String uriProblem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException | NullPointerException e) {
            return "is not a URI";
        }
        if (uri.length() > MAX_URI || !parsed.isAbsolute() || parsed.getHost() == null) {
            return "must be an absolute URI with a host";
        }
        if (parsed.getRawFragment() != null || parsed.getRawQuery() != null || parsed.getRawUserInfo() != null
                || uri.contains("*")) {
            return "must have no fragment, query, user info or wildcard";
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (scheme.equals("http") && OAuthClients.isLoopback(parsed.getHost()))) {
            return null;
        }
        return "must be https (http only on a loopback address)";
    }

    private static List<ProtectedResource.Scope> checkedScopes(List<ProtectedResource.Scope> scopes) {
        if (scopes == null || scopes.isEmpty() || scopes.size() > MAX_SCOPES) {
            throw ProblemException.invalid("scopes", "between 1 and " + MAX_SCOPES + " scopes");
        }
        List<ProtectedResource.Scope> checked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, List<String>> entries = new LinkedHashMap<>();
        for (int i = 0; i < scopes.size(); i++) {
            ProtectedResource.Scope s = scopes.get(i);
            String field = "scopes[" + i + "]";
            Scope scope = parsed(field + ".scope", s == null ? null : s.scope());
            if (scope.wildcard() || !seen.add(scope.value())) {
                throw ProblemException.invalid(field + ".scope", "names one scope, once (no wildcards)");
            }
            if (s.description() != null && s.description().length() > 500) {
                throw ProblemException.invalid(field + ".description", "at most 500 characters");
            }
            List<String> implies = s.implies() == null ? List.of()
                    : s.implies().stream().map(implied -> parsed(field + ".implies", implied).value()).distinct().toList();
            if (implies.contains(scope.value())) {
                throw ProblemException.invalid(field + ".implies", "a scope need not imply itself");
            }
            entries.put(scope.value(), implies);
            checked.add(new ProtectedResource.Scope(scope.value(), s.description(), implies));
        }
        List<String> unknown = ScopeCatalogue.of(entries).unknown(
                checked.stream().flatMap(s -> s.implies().stream()).toList());
        if (!unknown.isEmpty()) {
            throw ProblemException.invalid("scopes", "implies what the resource does not list: " + String.join(", ", unknown));
        }
        return List.copyOf(checked);
    }

    private static List<String> checkedClaims(List<String> claims) {
        try {
            return ClaimProfile.checked(claims);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("claims", e.getMessage());
        }
    }

    private static Scope parsed(String field, String scope) {
        try {
            return Scope.parse(scope);
        } catch (BadScopeException e) {
            throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                    List.of(new Problem.FieldError(field, e.getMessage())));
        }
    }
}
