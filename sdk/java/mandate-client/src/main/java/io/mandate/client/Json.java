package io.mandate.client;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

/** JSON in and out through Nimbus' bundled parser, so the library needs no other dependency. */
public final class Json {

    private Json() {
    }

    /** A JSON object, or an empty map for anything else (an empty body, HTML from a proxy, an array). */
    public static Map<String, Object> object(String text) {
        if (text == null || text.isBlank() || !text.stripLeading().startsWith("{")) {
            return Map.of();
        }
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            return Map.of();
        }
    }

    /** A JSON array, or an empty list for anything else. */
    public static List<Object> array(String text) {
        if (text == null || !text.stripLeading().startsWith("[")) {
            return List.of();
        }
        try {
            return JSONArrayUtils.parse(text);
        } catch (ParseException e) {
            return List.of();
        }
    }

    public static String write(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }

    /** The member {@code name} if it is a string, else null. */
    public static String string(Map<String, Object> object, String name) {
        return object.get(name) instanceof String value ? value : null;
    }
}
