package io.mandate.token.keys;

import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import java.time.Instant;

/**
 * A signing key as Keycloak models it: ACTIVE keys may sign (highest priority, then the most recently
 * activated, wins) once {@code activatesAt} has passed, PASSIVE keys only verify (still published in
 * JWKS), DISABLED keys are neither. A row of {@code signing_key}.
 */
public class SigningKey {

    public enum Status {
        ACTIVE, PASSIVE, DISABLED
    }

    static final String SELECT = "select " + Fields.columns(SigningKey.class) + " from signing_key";
    static final Sql.Mapper<SigningKey> ROW = Fields.reader(SigningKey.class);

    public String kid;

    public String alg;

    public Status status;

    public int priority;

    /** The public JWK, as published in JWKS. */
    public String publicJwk;

    /** The private JWK, sealed with AES-GCM under the key-encryption key (context: the kid). */
    public byte[] privateKey;

    public Instant createdAt;

    /** When it starts signing; before that it is only published, so that caches have it in time. */
    public Instant activatesAt;

    /** When a newer key took over and this one became PASSIVE. */
    public Instant retiredAt;
}
