package io.mandate.token.browser;

import io.mandate.api.TypeIds;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.repository.BrowserSessionRepository;
import io.mandate.token.repository.BrowserSessionRepository.Session;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.HumanLoginRepository.Human;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Sign-ins of people in the browser: an opaque cookie, only its hash stored, ending at a fixed time. */
@ApplicationScoped
public class BrowserSessions {

    public static final String COOKIE = "mandate_session";

    private final BrowserSessionRepository repository;
    private final HumanLoginRepository humans;
    private final TokenConfig.Browser config;

    BrowserSessions(BrowserSessionRepository repository, HumanLoginRepository humans, TokenConfig config) {
        this.repository = repository;
        this.humans = humans;
        this.config = config.browser();
    }

    /** Starts a session for {@code human}; returns the cookie value. */
    @Transactional
    public String start(Human human) {
        String token = TypeIds.randomToken(32);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.insert(Sha256.base64Url(token), human.userId(), human.tenantId(), now, now.plus(config.sessionLifetime()));
        return token;
    }

    /** The session a cookie value stands for; empty for none, an unknown or expired one, or a disabled account. */
    public Optional<Session> find(String cookie) {
        return cookie == null || cookie.isEmpty() || cookie.length() > 100 ? Optional.empty()
                : repository.find(Sha256.base64Url(cookie));
    }

    /** The person signed in with this cookie, if any. */
    public Optional<Human> person(String cookie) {
        return find(cookie).flatMap(session -> humans.byId(session.userId()));
    }

    @Transactional
    public void end(String cookie) {
        if (cookie != null && cookie.length() <= 100) {
            repository.delete(Sha256.base64Url(cookie));
        }
    }

    public long lifetimeSeconds() {
        return config.sessionLifetime().toSeconds();
    }
}
