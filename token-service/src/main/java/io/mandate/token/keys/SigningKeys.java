package io.mandate.token.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.mandate.api.TypeIds;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.sealing.SecretSealer;
import io.mandate.sql.Sql;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.event.TokenEvents;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Owns the signing keys: one signing key per algorithm in use (ES256 by default, EdDSA or RS256 where
 * a tenant asks for them), rotated on a schedule without a gap for resource servers:
 * <ol>
 * <li>a successor is created ACTIVE but with {@code activates_at} one JWKS cache lifetime plus one
 * refresh interval ahead, so every cache has it before the first token it signs;</li>
 * <li>once it signs, the key it replaced becomes PASSIVE: still published, no longer signing;</li>
 * <li>a PASSIVE key becomes DISABLED (unpublished) when every token it signed has expired.</li>
 * </ol>
 * Every replica reloads the keys from the database each refresh interval; the duties above run under
 * an advisory lock, so one replica does them at a time. {@value #KEY_AGE_METRIC} (per algorithm) against
 * {@value #ROTATION_INTERVAL_METRIC} shows a rotation that stopped happening.
 */
@ApplicationScoped
public class SigningKeys {

    public static final String KEY_AGE_METRIC = "mandate.token.signing.key.age";
    public static final String ROTATION_INTERVAL_METRIC = "mandate.token.signing.key.rotation.interval";

    private static final Comparator<SigningKey> PRECEDENCE = Comparator.comparingInt((SigningKey k) -> k.priority)
            .thenComparing(k -> k.activatesAt);

    private final Sql sql;
    private final SecretSealer sealer;
    private final TokenConfig config;
    private final TokenEvents events;
    private final WakeableLoop refresh;
    private final MeterRegistry metrics;

    private volatile Ring ring = new Ring(List.of(), new JWKSet());

    SigningKeys(Sql sql, TokenConfig config, TokenEvents events, MeterRegistry metrics) {
        this.sql = sql;
        this.metrics = metrics;
        this.sealer = SecretSealer.fromBase64(config.keyEncryptionKey());
        this.config = config;
        this.events = events;
        this.refresh = WakeableLoop.every("token-signing-keys", config.keyRefreshInterval(), this::maintain);
    }

    /** The key that signs now for an algorithm: its kid, algorithm and signer. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
    }

    private record Loaded(SigningKey row, ActiveKey signing) {
    }

    /** What this replica knows: keys that may sign, by precedence (best first), and the published set. */
    private record Ring(List<Loaded> signers, JWKSet published) {
    }

    /** A key as the admin API shows it (never the private part). */
    public record KeyView(String kid, String algorithm, SigningKey.Status status, int priority, Instant createdAt,
            Instant activatesAt, Instant retiredAt) {

        static KeyView of(SigningKey key) {
            return new KeyView(key.kid, key.alg, key.status, key.priority, key.createdAt, key.activatesAt, key.retiredAt);
        }
    }

    void start(@Observes StartupEvent startup) {
        maintain();
        refresh.start();
        Gauge.builder(ROTATION_INTERVAL_METRIC, () -> config.keyRotationInterval().toSeconds()).baseUnit("seconds")
                .description("How long a signing key signs before its successor takes over").register(metrics);
        for (JWSAlgorithm alg : algorithmsInUse()) {
            Gauge.builder(KEY_AGE_METRIC, () -> signingFor(alg).toSeconds()).baseUnit("seconds").tag("alg", alg.getName())
                    .description("How long the key that signs for an algorithm has been signing").register(metrics);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        refresh.stop();
    }

    /** The algorithms some tenant (or the default) signs with. */
    Set<JWSAlgorithm> algorithmsInUse() {
        Set<JWSAlgorithm> inUse = new LinkedHashSet<>();
        inUse.add(config.signingAlgorithm(null));
        config.tenants().keySet().forEach(tenant -> inUse.add(config.signingAlgorithm(tenant)));
        for (JWSAlgorithm alg : inUse) {
            if (!KeyMaterial.ALGORITHMS.contains(alg)) {
                throw new IllegalStateException("signing-algorithm " + alg + " is not one of " + KeyMaterial.ALGORITHMS);
            }
        }
        return inUse;
    }

    /** The key that signs for {@code alg} now. */
    public ActiveKey active(JWSAlgorithm alg) {
        return signingNow(alg, Instant.now()).map(Loaded::signing)
                .orElseThrow(() -> new IllegalStateException("no active " + alg + " signing key"));
    }

    /** How long the key that signs for {@code alg} has been signing (zero before there is one). */
    private Duration signingFor(JWSAlgorithm alg) {
        Instant now = Instant.now();
        return signingNow(alg, now).map(key -> Duration.between(key.row().activatesAt, now)).orElse(Duration.ZERO);
    }

    private Optional<Loaded> signingNow(JWSAlgorithm alg, Instant now) {
        for (Loaded key : ring.signers()) {
            if (key.signing().algorithm().equals(alg) && !now.isBefore(key.row().activatesAt)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** Every key a token may be verified with (ACTIVE, including those not signing yet, and PASSIVE). */
    public JWKSet jwks() {
        return ring.published();
    }

    /** Rotation duties (under the advisory lock), then a reload of what this replica signs and publishes. */
    void maintain() {
        QuarkusTransaction.requiringNew().run(() -> {
            lockKeys();
            Instant now = Instant.now();
            for (JWSAlgorithm alg : algorithmsInUse()) {
                List<SigningKey> active = keys(alg, SigningKey.Status.ACTIVE);
                if (active.isEmpty()) {
                    create(alg, now, null);
                    continue;
                }
                SigningKey newest = active.stream().max(Comparator.comparing((SigningKey k) -> k.activatesAt)).orElseThrow();
                if (!newest.activatesAt.plus(config.keyRotationInterval()).isAfter(now)) {
                    rotate(alg, now);
                }
            }
            retireReplacedKeys(now);
            sql.update("update signing_key set status = ?1 where status = ?2 and retired_at < ?3", SigningKey.Status.DISABLED,
                    SigningKey.Status.PASSIVE, now.minus(maxTokenLifetime()).minus(config.clockSkew()));
        });
        reload();
    }

    /**
     * Schedules a successor for {@code alg}: published now, signing after one JWKS cache lifetime plus
     * one refresh interval. Returns it.
     */
    public KeyView rotate(JWSAlgorithm alg) {
        KeyView created = QuarkusTransaction.requiringNew().call(() -> {
            lockKeys();
            return KeyView.of(rotate(alg, Instant.now()));
        });
        reload();
        return created;
    }

    /**
     * Takes a key out at once (a compromised key): unpublished, tokens it signed stop verifying. If it
     * was the signer of its algorithm, a successor signs immediately.
     */
    public Optional<KeyView> disable(String kid) {
        Optional<KeyView> disabled = QuarkusTransaction.requiringNew().call(() -> {
            lockKeys();
            SigningKey key = sql.first(SigningKey.SELECT + " where kid = ?1", SigningKey.ROW, kid).orElse(null);
            if (key == null) {
                return Optional.<KeyView>empty();
            }
            key.status = SigningKey.Status.DISABLED;
            save(key);
            JWSAlgorithm alg = JWSAlgorithm.parse(key.alg);
            Instant now = Instant.now();
            if (keys(alg, SigningKey.Status.ACTIVE).stream().noneMatch(k -> signs(k, now))
                    && algorithmsInUse().contains(alg)) {
                create(alg, now, kid);
            }
            return Optional.of(KeyView.of(key));
        });
        reload();
        return disabled;
    }

    public List<KeyView> list() {
        return sql.list(SigningKey.SELECT + " order by created_at desc", SigningKey.ROW).stream().map(KeyView::of).toList();
    }

    private SigningKey rotate(JWSAlgorithm alg, Instant now) {
        Optional<SigningKey> current = keys(alg, SigningKey.Status.ACTIVE).stream().filter(k -> signs(k, now))
                .max(PRECEDENCE);
        Instant activatesAt = now.plus(config.jwksMaxAge()).plus(config.keyRefreshInterval());
        return create(alg, activatesAt, current.map(k -> k.kid).orElse(null));
    }

    /** An ACTIVE key that is outranked by one that already signs becomes PASSIVE. */
    private void retireReplacedKeys(Instant now) {
        for (JWSAlgorithm alg : KeyMaterial.ALGORITHMS) {
            List<SigningKey> active = keys(alg, SigningKey.Status.ACTIVE);
            active.stream().filter(k -> signs(k, now)).max(PRECEDENCE).ifPresent(signer -> {
                for (SigningKey key : active) {
                    if (key != signer && signs(key, now) && PRECEDENCE.compare(key, signer) < 0) {
                        key.status = SigningKey.Status.PASSIVE;
                        key.retiredAt = now.truncatedTo(ChronoUnit.MICROS);
                        save(key);
                    }
                }
            });
        }
    }

    /** One replica at a time changes the keys (the lock ends with the transaction). */
    private void lockKeys() {
        sql.first("select pg_advisory_xact_lock(hashtext('mandate.token.signing-keys'))", row -> Boolean.TRUE);
    }

    /** An ACTIVE key whose activation time has come (one not yet activated is only published). */
    private static boolean signs(SigningKey key, Instant now) {
        return !key.activatesAt.isAfter(now);
    }

    private List<SigningKey> keys(JWSAlgorithm alg, SigningKey.Status status) {
        return sql.list(SigningKey.SELECT + " where alg = ?1 and status = ?2", SigningKey.ROW, alg.getName(), status);
    }

    /** Stores what changes over a key's life: its status and when it was retired. */
    private void save(SigningKey key) {
        sql.update("update signing_key set status = ?2, retired_at = ?3 where kid = ?1", key.kid, key.status, key.retiredAt);
    }

    private SigningKey create(JWSAlgorithm alg, Instant activatesAt, String previousKid) {
        try {
            String kid = TypeIds.randomToken(10);
            JWK key = KeyMaterial.generate(alg, kid);
            SigningKey row = new SigningKey();
            row.kid = kid;
            row.alg = alg.getName();
            row.status = SigningKey.Status.ACTIVE;
            row.priority = 100;
            row.publicJwk = key.toPublicJWK().toJSONString();
            row.privateKey = sealer.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), kid);
            row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            row.activatesAt = activatesAt.truncatedTo(ChronoUnit.MICROS);
            sql.insert("signing_key", row);
            events.signingKeyRotated(kid, alg.getName(), previousKid, row.activatesAt);
            return row;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    private void reload() {
        List<SigningKey> keys = sql.list(SigningKey.SELECT + " where status <> ?1", SigningKey.ROW, SigningKey.Status.DISABLED);
        List<Loaded> signers = new ArrayList<>();
        List<JWK> published = new ArrayList<>();
        try {
            for (SigningKey key : keys) {
                published.add(JWK.parse(key.publicJwk));
                if (key.status == SigningKey.Status.ACTIVE) {
                    JWK privateKey = JWK.parse(new String(sealer.open(key.privateKey, key.kid), StandardCharsets.UTF_8));
                    signers.add(new Loaded(key, new ActiveKey(key.kid, JWSAlgorithm.parse(key.alg),
                            KeyMaterial.signer(privateKey))));
                }
            }
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load the signing keys", e);
        }
        signers.sort(Comparator.comparing(Loaded::row, PRECEDENCE).reversed());
        ring = new Ring(List.copyOf(signers), new JWKSet(published));
    }

    /** The longest any token signed by a key lives: access tokens and human tokens. */
    private Duration maxTokenLifetime() {
        return config.accessTokenLifetime().compareTo(config.humanTokenLifetime()) > 0 ? config.accessTokenLifetime()
                : config.humanTokenLifetime();
    }
}
