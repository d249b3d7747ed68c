package io.mandate.token.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.mandate.api.TypeIds;
import io.mandate.sealing.SecretSealer;
import io.mandate.token.config.TokenConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * Owns the service's signing keys: creates the first ES256 key on an empty database, keeps the
 * active signer and the published JWK set in memory. Rotation on a schedule comes with issue #4.
 */
@ApplicationScoped
public class SigningKeys {

    private final EntityManager em;
    private final SecretSealer sealer;

    private volatile ActiveKey active;
    private volatile JWKSet published;

    SigningKeys(EntityManager em, TokenConfig config) {
        this.em = em;
        this.sealer = SecretSealer.fromBase64(config.keyEncryptionKey());
    }

    /** The key that signs now: its kid, algorithm and signer. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
    }

    void load(@Observes StartupEvent startup) {
        QuarkusTransaction.requiringNew().run(() -> {
            // One replica creates the first key; the others wait for its commit and load it.
            em.createNativeQuery("select pg_advisory_xact_lock(hashtext('mandate.token.signing-keys'))").getSingleResult();
            List<SigningKey> keys = em.createQuery("from SigningKey where status <> :disabled", SigningKey.class)
                    .setParameter("disabled", SigningKey.Status.DISABLED).getResultList();
            if (keys.stream().noneMatch(k -> k.status == SigningKey.Status.ACTIVE)) {
                keys = List.of(create());
            }
            install(keys);
        });
    }

    public ActiveKey active() {
        return active;
    }

    /** Every key a token may still be verified with (ACTIVE and PASSIVE), public parts only. */
    public JWKSet jwks() {
        return published;
    }

    private SigningKey create() {
        try {
            String kid = TypeIds.randomToken(10);
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            SigningKey row = new SigningKey();
            row.kid = kid;
            row.alg = JWSAlgorithm.ES256.getName();
            row.status = SigningKey.Status.ACTIVE;
            row.priority = 100;
            row.publicJwk = key.toPublicJWK().toJSONString();
            row.privateKey = sealer.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), kid);
            row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            em.persist(row);
            em.flush();
            return row;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    private void install(List<SigningKey> keys) {
        try {
            SigningKey signing = keys.stream().filter(k -> k.status == SigningKey.Status.ACTIVE)
                    .max(Comparator.comparingInt((SigningKey k) -> k.priority).thenComparing(k -> k.createdAt))
                    .orElseThrow();
            ECKey privateKey = ECKey.parse(new String(sealer.open(signing.privateKey, signing.kid), StandardCharsets.UTF_8));
            active = new ActiveKey(signing.kid, JWSAlgorithm.parse(signing.alg), new ECDSASigner(privateKey));
            List<JWK> publicKeys = keys.stream().map(k -> {
                try {
                    return JWK.parse(k.publicJwk);
                } catch (ParseException e) {
                    throw new IllegalStateException("stored JWK of " + k.kid + " is unreadable", e);
                }
            }).toList();
            published = new JWKSet(publicKeys);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load the signing key", e);
        }
    }
}
