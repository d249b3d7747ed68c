package io.mandate.token.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.mandate.api.TypeIds;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.FormEncoding;
import io.mandate.token.repository.BrowserSessionRepository;
import io.mandate.token.repository.BrowserSessionRepository.IdpSignIn;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.Sha256;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * "Sign in with your organisation": OpenID Connect's authorization code flow with PKCE to the enterprise IdP
 * Mandate trusts. The IdP's ID token (signature by its JWKS, issuer, audience, lifetime, nonce) names the
 * person; their account is the one linked to that subject, or the unlinked one whose email the IdP verified.
 */
@ApplicationScoped
public class EnterpriseSignIn {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256,
            JWSAlgorithm.EdDSA);

    private final TokenConfig.Idp config;
    private final String redirectUri;
    private final BrowserSessionRepository repository;
    private final HumanLoginRepository humans;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private volatile Provider provider;

    EnterpriseSignIn(TokenConfig config, BrowserSessionRepository repository, HumanLoginRepository humans,
            ObjectMapper json) {
        this.config = config.idp();
        this.redirectUri = config.issuer() + "/signin/idp/callback";
        this.repository = repository;
        this.humans = humans;
        this.json = json;
    }

    /** The IdP as its discovery document describes it, read once. */
    private record Provider(String authorizationEndpoint, String tokenEndpoint,
            DefaultJWTProcessor<SecurityContext> idTokens) {
    }

    /** Why a sign-in through the IdP did not end in an account (shown on the sign-in page). */
    public static class SignInRefused extends RuntimeException {

        SignInRefused(String message) {
            super(message, null, false, false);
        }
    }

    public boolean enabled() {
        return config.issuer().isPresent() && config.clientId().isPresent();
    }

    public String name() {
        return config.name();
    }

    /** Where the browser goes to sign in at the IdP, on behalf of the authorization request {@code requestId} (may be null). */
    @Transactional
    public String start(String requestId) {
        Provider idp = provider();
        String state = TypeIds.randomToken(24);
        String nonce = TypeIds.randomToken(24);
        String verifier = TypeIds.randomToken(40);
        repository.insertIdpSignIn(Sha256.base64Url(state), new IdpSignIn(requestId, nonce, verifier),
                Instant.now().plus(SIGN_IN_LIFETIME));
        Map<String, String> query = Map.of("response_type", "code", "client_id", config.clientId().orElseThrow(),
                "redirect_uri", redirectUri, "scope", config.scope(), "state", state, "nonce", nonce,
                "code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.of(verifier)),
                "code_challenge_method", "S256");
        return FormEncoding.withQuery(idp.authorizationEndpoint(), query);
    }

    /** The person the IdP sent back with {@code code} and {@code state}, and the authorization request they were on. */
    public record SignedIn(HumanLoginRepository.Human person, String requestId) {
    }

    /** The state is used up first, in a transaction of its own: a refused or failed return cannot be replayed. */
    public SignedIn finish(String code, String state) {
        if (code == null || state == null) {
            throw new SignInRefused("The sign-in did not come back from your organisation's sign-in.");
        }
        IdpSignIn signIn = QuarkusTransaction.requiringNew().call(() -> repository.takeIdpSignIn(Sha256.base64Url(state)))
                .orElseThrow(() -> new SignInRefused("This sign-in has expired or was used already. Please start again."));
        Provider idp = provider();
        JsonNode tokens = post(idp.tokenEndpoint(), Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "code_verifier", signIn.codeVerifier()));
        JWTClaimsSet claims;
        try {
            claims = idp.idTokens().process(tokens.path("id_token").asText(), null);
        } catch (BadJOSEException | JOSEException | ParseException e) {
            throw new SignInRefused("Your organisation's answer could not be verified.");
        }
        if (!signIn.nonce().equals(claims.getClaim("nonce"))) {
            throw new SignInRefused("Your organisation's answer was not for this sign-in.");
        }
        String email = Boolean.TRUE.equals(claims.getClaim("email_verified")) && claims.getClaim("email") instanceof String e
                ? e : null;
        HumanLoginRepository.Human person = humans.byIdentityProvider(config.tenantId(), claims.getSubject(), email)
                .orElseThrow(() -> new SignInRefused("There is no active Mandate account for this identity."));
        return new SignedIn(person, signIn.requestId());
    }

    private Provider provider() {
        Provider known = provider;
        if (known != null) {
            return known;
        }
        String issuer = config.issuer().orElseThrow(() -> new SignInRefused("No organisation sign-in is configured."));
        JsonNode discovery = get(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration");
        if (!issuer.equals(discovery.path("issuer").asText())) {
            throw new SignInRefused("Your organisation's sign-in is misconfigured (issuer mismatch).");
        }
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(new URL(discovery.path("jwks_uri").asText())).build();
            DefaultJWTProcessor<SecurityContext> idTokens = new DefaultJWTProcessor<>();
            idTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
            idTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.clientId().orElseThrow(),
                    new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "nonce")));
            known = new Provider(discovery.path("authorization_endpoint").asText(),
                    discovery.path("token_endpoint").asText(), idTokens);
        } catch (IOException e) {
            throw new SignInRefused("Your organisation's sign-in is misconfigured (jwks_uri).");
        }
        provider = known;
        return known;
    }

    private JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    private JsonNode post(String url, Map<String, String> form) {
        String basic = Base64.getEncoder().encodeToString((FormEncoding.encode(config.clientId().orElseThrow()) + ":"
                + FormEncoding.encode(config.clientSecret().orElse(""))).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FormEncoding.form(form))).build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = json.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new SignInRefused("Your organisation's sign-in refused (" + response.statusCode() + " "
                        + answer.path("error").asText("") + ").");
            }
            return answer;
        } catch (IOException e) {
            throw new SignInRefused("Your organisation's sign-in could not be reached. Please try again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInRefused("Interrupted.");
        }
    }
}
