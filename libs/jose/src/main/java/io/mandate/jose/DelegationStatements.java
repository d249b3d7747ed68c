package io.mandate.jose;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The delegation token's envelope, as delegation-service signs it and both it and token-service
 * check it: a compact JWS, {@code typ: delegation+jwt}, EdDSA, by the key its {@code kid} names.
 */
public final class DelegationStatements {

    public static final String TYPE = "delegation+jwt";
    private static final int MAX_TOKEN_CHARS = 16384;

    private DelegationStatements() {
    }

    /**
     * The payload of {@code token} if it is a delegation token signed by the key {@code keyById} returns
     * for its {@code kid} (null for a key it does not know); empty for anything else. Claims are the caller's.
     */
    public static Optional<Map<String, Object>> verify(String token, Function<String, JWK> keyById) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!JWSAlgorithm.EdDSA.equals(jws.getHeader().getAlgorithm()) || jws.getHeader().getType() == null
                    || !TYPE.equals(jws.getHeader().getType().getType()) || jws.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            JWK key = keyById.apply(jws.getHeader().getKeyID());
            if (key == null || !ClientSignatures.verify(jws, key)) {
                return Optional.empty();
            }
            return Optional.ofNullable(jws.getPayload().toJSONObject());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
