package io.mandate.token.service;

import io.mandate.api.ProblemException;
import io.mandate.credentials.Passwords;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.oauth.OAuthException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Local username/password login against the human projection (never a call to identity-service).
 * Every refusal looks the same to the caller (unknown name, wrong password, disabled); from
 * {@code login-max-failures} failures in a row on, one username from one client address waits
 * longer after each (2 s, 4 s, 8 s, ... at most {@code login-lockout}).
 */
@ApplicationScoped
public class HumanLogin {

    /** Attempts one client address may make (any usernames) before it slows down: a NAT holds many people. */
    private static final int ADDRESS_FREE_ATTEMPTS = 100;
    /** Verified against when the username is unknown, so that answering takes as long either way. */
    private static final String DECOY = Passwords.hash("decoy password, never matches");

    private final HumanLoginRepository humans;
    private final AccessTokens tokens;
    private final TokenEvents events;
    private final TokenConfig config;

    HumanLogin(HumanLoginRepository humans, AccessTokens tokens, TokenEvents events, TokenConfig config) {
        this.humans = humans;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
    }

    public record Session(HumanLoginRepository.Human human, AccessTokens.AccessToken token) {
    }

    /**
     * Checks a password. The attempt is counted first, per username and client address and per client
     * address, in a short transaction of its own; the PBKDF2 check then runs holding no database
     * connection; only a success writes again. Every refusal looks the same (unknown name, wrong password,
     * disabled); an address that keeps failing waits longer and longer (429), never the username for
     * everyone. Each refusal is published ({@code human.login_failed}), each success too.
     */
    public Session login(String username, String password, String ip, String userAgent) {
        HumanLoginRepository.Human human = checked(username, password, ip, userAgent, "api");
        return QuarkusTransaction.requiringNew().call(() -> {
            humans.succeeded(pairKey(username, ip));
            AccessTokens.AccessToken token = tokens.issueHuman(human);
            events.loggedIn(human, token.jti(), ip, userAgent, "api");
            return new Session(human, token);
        });
    }

    /** The same check for the sign-in page, which starts a browser session instead of returning a token. */
    public HumanLoginRepository.Human signIn(String username, String password, String ip, String userAgent) {
        HumanLoginRepository.Human human = checked(username, password, ip, userAgent, "browser");
        QuarkusTransaction.requiringNew().run(() -> {
            humans.succeeded(pairKey(username, ip));
            events.loggedIn(human, null, ip, userAgent, "browser");
        });
        return human;
    }

    /** A sign-in another way (the enterprise IdP, {@code channel} {@code idp}) succeeded: published. */
    public void signedIn(HumanLoginRepository.Human human, String channel, String ip, String userAgent) {
        QuarkusTransaction.requiringNew().run(() -> events.loggedIn(human, null, ip, userAgent, channel));
    }

    /** A sign-in through the enterprise IdP was refused (no account is known then): published, without waiting. */
    public void signInFailed(String reason, String ip, String userAgent) {
        events.loginFailed(null, reason, ip, userAgent, "idp");
    }

    private HumanLoginRepository.Human checked(String username, String password, String ip, String userAgent,
            String channel) {
        Instant now = Instant.now();
        String pairKey = pairKey(username, ip);
        String addressKey = "ip:" + ip;
        Optional<Instant> wait = QuarkusTransaction.requiringNew().call(() -> humans.attempt(pairKey, now,
                config.loginMaxFailures(), config.loginLockout())
                .or(() -> humans.attempt(addressKey, now, ADDRESS_FREE_ATTEMPTS, config.loginLockout())));
        Optional<HumanLoginRepository.Human> human = QuarkusTransaction.requiringNew().call(() -> humans.byUsername(username));
        if (wait.isPresent()) {
            events.loginFailed(human.orElse(null), "throttled", ip, userAgent, channel);
            long seconds = Math.max(1, Duration.between(now, wait.get()).toSeconds() + 1);
            throw new OAuthException(429, "too_many_attempts",
                    "too many failed logins from this address; retry after " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        String stored = human.map(HumanLoginRepository.Human::passwordHash).orElse(null);
        boolean matches = Passwords.matches(password, stored == null ? DECOY : stored) && stored != null;
        if (!matches || !"active".equals(human.get().status())) {
            String reason = human.isEmpty() ? "unknown_user" : !matches ? "wrong_password" : "disabled";
            events.loginFailed(human.orElse(null), reason, ip, userAgent, channel);
            throw refused();
        }
        return human.get();
    }

    private static String pairKey(String username, String ip) {
        return "user:" + username.toLowerCase(Locale.ROOT) + "|" + ip;
    }

    /**
     * Ends every token of the human presenting {@code authorization} ({@code Bearer} and its login token)
     * issued up to now, at every service within a second ({@code token.revoked} with {@code issued_before}).
     *
     * @return the cut-off
     */
    @Transactional
    public Instant logout(String authorization) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        var claims = tokens.verify(token)
                .filter(c -> c.getSubject() != null && c.getSubject().startsWith("usr_")
                        && c.getClaim("tenant_id") instanceof String
                        && c.getAudience().contains(config.defaultAudience()) && c.getClaim("act") == null)
                .orElseThrow(() -> ProblemException.unauthorized("a human's access token is required"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        events.loggedOut((String) claims.getClaim("tenant_id"), claims.getSubject(), now);
        return now;
    }

    private static ProblemException refused() {
        return new ProblemException(401, "invalid_credentials", "Unauthorized",
                "the username or password is not valid", java.util.List.of());
    }
}
