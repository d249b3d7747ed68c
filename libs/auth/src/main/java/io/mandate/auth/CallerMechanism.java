package io.mandate.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.mandate.jose.DpopProof;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who presents what in {@code Authorization}, ahead of quarkus-oidc. The bootstrap platform-admin
 * credential (compared in constant time, never logged); a token of token-service, as {@code Bearer} or,
 * when it is bound to a key ({@code cnf.jkt}), only as {@code DPoP} with a proof for this request
 * (RFC 9449 §7); checked by {@link AccessTokenVerifier} and against {@link TokenRevocations}. A token
 * of any other issuer falls through to quarkus-oidc, which knows the enterprise IdP.
 */
@ApplicationScoped
public class CallerMechanism implements HttpAuthenticationMechanism {

    static final String KIND = "mandate.caller-kind";
    /** The verified claims ({@link JWTClaimsSet}) of a token of token-service. */
    static final String CLAIMS = "mandate.access-token-claims";

    private final byte[] bootstrapToken;
    private final AccessTokenVerifier verifier;
    private final TokenRevocations revocations;
    private final AuthConfig config;

    CallerMechanism(@ConfigProperty(name = "mandate.admin.bootstrap-token") String bootstrapToken,
            AccessTokenVerifier verifier, TokenRevocations revocations, AuthConfig config) {
        this.bootstrapToken = bootstrapToken.getBytes(StandardCharsets.UTF_8);
        this.verifier = verifier;
        this.revocations = revocations;
        this.config = config;
    }

    /** What {@code Authorization} carries: a scheme we answer to and its credential. */
    private record Presented(String scheme, String credential) {

        static Optional<Presented> of(String header) {
            if (header == null) {
                return Optional.empty();
            }
            int space = header.indexOf(' ');
            String scheme = space < 0 ? header.trim() : header.substring(0, space);
            String credential = space < 0 ? "" : header.substring(space + 1).trim();
            if (scheme.equalsIgnoreCase("Bearer")) {
                return Optional.of(new Presented("Bearer", credential));
            }
            return scheme.equalsIgnoreCase("DPoP") ? Optional.of(new Presented("DPoP", credential)) : Optional.empty();
        }

        boolean dpop() {
            return "DPoP".equals(scheme);
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        HttpServerRequest request = context.request();
        Optional<Presented> found = Presented.of(request.getHeader("Authorization"));
        if (found.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Presented presented = found.get();
        if (!presented.dpop() && MessageDigest.isEqual(bootstrapToken, presented.credential().getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Caller.platformAdmin().id()))
                    .addRole(Caller.PLATFORM_ADMIN)
                    .addAttribute(KIND, Caller.Kind.PLATFORM_ADMIN)
                    .build());
        }
        Optional<String> issuer = AccessTokenVerifier.issuerOf(presented.credential());
        if (!presented.dpop() && issuer.isPresent() && !issuer.get().equals(config.issuer())) {
            return Uni.createFrom().nullItem();
        }
        String proof = request.getHeader("DPoP");
        String method = request.method().name();
        String url = request.absoluteURI();
        return Uni.createFrom().item(() -> identity(presented, proof, method, url))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: may fetch signing keys and reads the revocations. */
    private SecurityIdentity identity(Presented presented, String proof, String method, String url) {
        String scheme = presented.scheme();
        JWTClaimsSet claims = verifier.verify(presented.credential(), scheme);
        String boundTo = AccessTokenVerifier.boundThumbprint(claims);
        if (boundTo != null && !presented.dpop()) {
            throw BadAccessTokens.invalidToken("DPoP",
                    "the access token is bound to a key: present it with the DPoP scheme and a proof");
        }
        if (boundTo == null && presented.dpop()) {
            throw BadAccessTokens.invalidToken(scheme, "the access token is not bound to a key: present it as Bearer");
        }
        if (boundTo != null) {
            checkProof(proof, method, url, presented.credential(), boundTo);
        }
        if (revocations.isRevoked(claims.getSubject(), claims.getJWTID(), claims.getIssueTime().toInstant())) {
            throw BadAccessTokens.invalidToken(scheme, "the access token has been revoked");
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(claims.getSubject()))
                .addAttribute(CLAIMS, claims)
                .build();
    }

    private void checkProof(String proof, String method, String url, String token, String boundTo) {
        if (proof == null || proof.isBlank()) {
            throw BadAccessTokens.invalidDpopProof("a DPoP proof is required with a DPoP-bound token");
        }
        DpopProof checked;
        try {
            checked = DpopProof.check(proof, method, url, token, Instant.now(), config.dpopProofMaxAge(),
                    config.clockSkew());
        } catch (DpopProof.BadDpopProofException e) {
            throw BadAccessTokens.invalidDpopProof(e.getMessage());
        }
        if (!checked.thumbprint().equals(boundTo)) {
            throw BadAccessTokens.invalidDpopProof("the DPoP proof is signed by another key than the token's");
        }
        if (!revocations.firstUse(checked.thumbprint(), checked.jti(),
                checked.issuedAt().plus(config.dpopProofMaxAge()).plus(config.clockSkew()))) {
            throw BadAccessTokens.invalidDpopProof("the DPoP proof was used before");
        }
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
