package io.mandate.token.service;

import io.mandate.api.ProblemException;
import io.mandate.api.Passwords;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.repository.HumanLoginRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Local username/password login against the human projection (never a call to identity-service).
 * Every refusal looks the same to the caller (unknown name, wrong password, disabled, locked);
 * after {@code login-max-failures} failures in a row a username is locked for {@code login-lockout}.
 */
@ApplicationScoped
public class HumanLogin {

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

    @Transactional(dontRollbackOn = ProblemException.class)
    public Session login(String username, String password, String ip, String userAgent) {
        Instant now = Instant.now();
        if (humans.lockedUntil(username, now).isPresent()) {
            throw refused();
        }
        Optional<HumanLoginRepository.Human> human = humans.byUsername(username);
        String stored = human.map(HumanLoginRepository.Human::passwordHash).orElse(null);
        boolean matches = Passwords.matches(password, stored == null ? DECOY : stored) && stored != null;
        if (!matches || !"active".equals(human.get().status())) {
            humans.recordFailure(username, config.loginMaxFailures(), now.plus(config.loginLockout()));
            throw refused();
        }
        humans.clearFailures(username);
        AccessTokens.AccessToken token = tokens.issueHuman(human.get());
        events.loggedIn(human.get(), token.jti(), ip, userAgent);
        return new Session(human.get(), token);
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
