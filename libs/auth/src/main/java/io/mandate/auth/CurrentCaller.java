package io.mandate.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mandate.api.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request and the tenant it acts in. Tokens from token-service carry
 * {@code sub} ({@code usr_...} or {@code agt_...}), {@code tenant_id} and, for humans, {@code roles};
 * tokens from the enterprise IdP are mapped to a Mandate account by {@link HumanDirectory}.
 */
@RequestScoped
public class CurrentCaller {

    /** Names the tenant a platform-admin request acts in; ignored for everyone else. */
    public static final String TENANT_HEADER = "Mandate-Tenant";
    /** The quarkus-oidc tenant of the enterprise IdP. */
    public static final String EXTERNAL_ISSUER = "external";

    private final SecurityIdentity identity;
    private final Instance<HumanDirectory> directory;
    private final AuthConfig config;
    private final HttpServerRequest request;
    private Caller caller;

    CurrentCaller(SecurityIdentity identity, Instance<HumanDirectory> directory, AuthConfig config,
            HttpServerRequest request) {
        this.identity = identity;
        this.directory = directory;
        this.config = config;
        this.request = request;
    }

    public Caller get() {
        if (caller == null) {
            caller = resolve();
        }
        return caller;
    }

    /** The caller's tenant; the platform admin's is the one named by {@value #TENANT_HEADER}. */
    public String tenantId() {
        Caller current = get();
        if (!current.isPlatformAdmin()) {
            return current.tenantId();
        }
        String named = request.getHeader(TENANT_HEADER);
        return named == null || named.isBlank() ? config.defaultTenantId() : named.trim();
    }

    private Caller resolve() {
        if (identity.isAnonymous()) {
            throw ProblemException.unauthorized("a bearer token is required");
        }
        if (identity.getAttribute(CallerMechanism.KIND) == Caller.Kind.PLATFORM_ADMIN) {
            return Caller.platformAdmin();
        }
        if (identity.getAttribute(CallerMechanism.CLAIMS) instanceof JWTClaimsSet claims) {
            return fromMandate(claims);
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken token) || token.getSubject() == null
                || !EXTERNAL_ISSUER.equals(identity.getAttribute("tenant-id"))) {
            throw ProblemException.unauthorized("the bearer token is not valid");
        }
        // Validated by quarkus-oidc for the enterprise IdP (issuer, signature, lifetime, audience). Its email
        // links an account only when the IdP says it verified it: anyone may type any address into a profile.
        Optional<String> tenant = config.externalTenantId();
        String email = verified(token.getClaim("email_verified")) ? token.getClaim("email") : null;
        return tenant.flatMap(t -> directory.isResolvable()
                ? directory.get().external(t, token.getSubject(), email) : Optional.empty())
                .orElseThrow(() -> ProblemException.unauthorized("no Mandate account for this identity"));
    }

    /** A token of token-service, already checked by {@link CallerMechanism}. */
    private Caller fromMandate(JWTClaimsSet claims) {
        if (claims.getClaim("act") != null || claims.getClaim("delegation_id") != null) {
            // A delegated token (RFC 8693, or one an app got by the person's consent) is for the APIs its scopes
            // name, not for acting as its human here.
            throw ProblemException.unauthorized("a delegated token is not accepted by Mandate's own APIs");
        }
        String subject = claims.getSubject();
        if (!(claims.getClaim("tenant_id") instanceof String tenantId)) {
            throw ProblemException.unauthorized("the bearer token names no tenant");
        }
        if (subject.startsWith("agt_")) {
            return new Caller(Caller.Kind.AGENT, subject, tenantId, Set.of(Caller.AGENT), null);
        }
        if (subject.equals(Caller.TOKEN_SERVICE)) {
            // Only token-service signs; its own tokens name the one thing it may do here.
            Set<String> roles = new LinkedHashSet<>(strings(claims.getClaim("roles")));
            roles.retainAll(Set.of(Caller.CLIENT_REGISTRAR, Caller.AGENT_REGISTRAR, Caller.PERSON_REGISTRAR));
            return new Caller(Caller.Kind.SERVICE, subject, tenantId, roles, null);
        }
        if (!subject.startsWith("usr_")) {
            throw ProblemException.unauthorized("the bearer token is not valid");
        }
        Set<String> roles = new LinkedHashSet<>(strings(claims.getClaim("roles")));
        roles.retainAll(Caller.HUMAN_ROLES);
        Caller claimed = new Caller(Caller.Kind.HUMAN, subject, tenantId, roles,
                claims.getClaim("email") instanceof String email ? email : null);
        if (!directory.isResolvable()) {
            return claimed;
        }
        return directory.get().current(claimed)
                .orElseThrow(() -> ProblemException.unauthorized("the account is disabled"));
    }

    private static boolean verified(Object claim) {
        return Boolean.TRUE.equals(claim) || JsonValue.TRUE.equals(claim);
    }

    private static Set<String> strings(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof JsonArray array) {
            array.forEach(v -> {
                if (v instanceof JsonString s) {
                    values.add(s.getString());
                }
            });
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        }
        return values;
    }
}
