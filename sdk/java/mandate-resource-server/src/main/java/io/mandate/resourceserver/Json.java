package io.mandate.resourceserver;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.Map;

/** JSON out through Nimbus' bundled writer, so the library needs no JSON binding of its own. */
public final class Json {

    private Json() {
    }

    public static String write(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}
