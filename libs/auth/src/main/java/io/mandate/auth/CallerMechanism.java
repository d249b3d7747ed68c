package io.mandate.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Recognises the bootstrap platform-admin credential ({@code Authorization: Bearer <token>} from
 * configuration) ahead of quarkus-oidc; any other bearer token falls through to OIDC validation.
 * The comparison is constant-time and the presented value is never logged.
 */
@ApplicationScoped
public class CallerMechanism implements HttpAuthenticationMechanism {

    static final String KIND = "mandate.caller-kind";

    private final byte[] bootstrapToken;

    CallerMechanism(@ConfigProperty(name = "mandate.admin.bootstrap-token") String bootstrapToken) {
        this.bootstrapToken = bootstrapToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().nullItem();
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(bootstrapToken, presented)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(Caller.platformAdmin().id()))
                .addRole(Caller.PLATFORM_ADMIN)
                .addAttribute(KIND, Caller.Kind.PLATFORM_ADMIN)
                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return 3000;
    }
}
