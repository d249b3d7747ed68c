package io.mandate.token.browser;

import io.mandate.api.TypeIds;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.DeviceSignInRepository;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.HumanLogin;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The command line signs a person in through the browser (RFC 8628's device flow, for the person's own session
 * token): it gets a user code, the person approves it at {@code /device} once signed in, and the command line polls
 * with its device code until the token comes (once), the person denies, or ten minutes pass.
 */
@ApplicationScoped
public class DeviceSignIns {

    /** RFC 8628 §6.1: consonants only, no look-alikes; 20^8 codes, shown as XXXX-XXXX. */
    private static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    private static final Pattern USER_CODE = Pattern.compile("[" + ALPHABET + "]{4}-[" + ALPHABET + "]{4}");
    private static final int SLOWER = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceSignInRepository repository;
    private final HumanLoginRepository humans;
    private final AccessTokens tokens;
    private final TokenEvents events;
    private final TokenConfig.Browser config;

    DeviceSignIns(DeviceSignInRepository repository, HumanLoginRepository humans, AccessTokens tokens, TokenEvents events,
            TokenConfig config) {
        this.repository = repository;
        this.humans = humans;
        this.tokens = tokens;
        this.events = events;
        this.config = config.browser();
    }

    /** What the command line shows and keeps: the user code for the person, the device code for itself. */
    public record Started(String deviceCode, String userCode, long expiresIn, long interval) {
    }

    @Transactional
    public Started start() {
        String deviceCode = TypeIds.randomToken(32);
        String userCode = userCode();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int interval = (int) config.devicePollInterval().toSeconds();
        repository.insert(Sha256.base64Url(deviceCode), userCode, interval, now, now.plus(config.deviceLifetime()));
        return new Started(deviceCode, userCode, config.deviceLifetime().toSeconds(), interval);
    }

    /** The code as typed (any case, with or without the dash), or null when it cannot be one. */
    public static String normalized(String typed) {
        if (typed == null) {
            return null;
        }
        String letters = typed.replaceAll("[\\s-]", "").toUpperCase(java.util.Locale.ROOT);
        String code = letters.length() == 8 ? letters.substring(0, 4) + "-" + letters.substring(4) : letters;
        return USER_CODE.matcher(code).matches() ? code : null;
    }

    /** True while a sign-in with this code waits for an answer. */
    public boolean waiting(String userCode) {
        return userCode != null && repository.waiting(userCode);
    }

    /** The person's answer; false when the code no longer waits. */
    @Transactional
    public boolean decide(String userCode, HumanLoginRepository.Human person, boolean approve) {
        return repository.decide(userCode, approve, person.userId());
    }

    /**
     * The command line polls: the person's token once approved (used up then), else why not ({@code
     * authorization_pending}, {@code slow_down} with the interval five seconds longer, {@code access_denied},
     * {@code expired_token}, {@code invalid_grant} for an unknown or used code).
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public HumanLogin.Session poll(String deviceCode, String ip, String userAgent) {
        String hash = Sha256.base64Url(deviceCode == null ? "" : deviceCode);
        DeviceSignInRepository.Poll poll = repository.lockForPoll(hash)
                .orElseThrow(() -> OAuthException.invalidGrant("unknown device code"));
        Instant now = Instant.now();
        if (!now.isBefore(poll.expiresAt())) {
            throw new OAuthException(400, "expired_token", "the sign-in expired; start again");
        }
        switch (poll.status()) {
            case "used" -> throw OAuthException.invalidGrant("this device code was used");
            case "denied" -> throw new OAuthException(400, "access_denied", "the person denied the sign-in");
            default -> {
            }
        }
        if (poll.polledAt() != null && now.isBefore(poll.polledAt().plusSeconds(poll.intervalSeconds()))) {
            repository.polled(hash, now, poll.intervalSeconds() + SLOWER, poll.status());
            throw new OAuthException(400, "slow_down", "poll at most every " + (poll.intervalSeconds() + SLOWER) + " s");
        }
        if (poll.status().equals("pending")) {
            repository.polled(hash, now, poll.intervalSeconds(), "pending");
            throw new OAuthException(400, "authorization_pending", "waiting for the person to approve");
        }
        repository.polled(hash, now, poll.intervalSeconds(), "used");
        HumanLoginRepository.Human human = humans.byId(poll.userId()).filter(h -> "active".equals(h.status()))
                .orElseThrow(() -> new OAuthException(400, "access_denied", "the account is not active"));
        AccessTokens.AccessToken token = tokens.issueHuman(human);
        events.loggedIn(human, token.jti(), ip, userAgent, "device");
        return new HumanLogin.Session(human, token);
    }

    private static String userCode() {
        StringBuilder code = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
