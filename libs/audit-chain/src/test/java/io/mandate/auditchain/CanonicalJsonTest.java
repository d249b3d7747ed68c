package io.mandate.auditchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static String canonical(String json) {
        return new String(CanonicalJson.of(json), StandardCharsets.UTF_8);
    }

    @Test
    void membersAreSortedByUtf16CodeUnitsAndWhitespaceGoes() {
        // RFC 8785 §3.2.3's sorting example: keys compared as UTF-16 code units, not code points.
        assertEquals("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\","
                + "\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\uFB33\":\"Hebrew Letter Dalet With Dagesh\"}",
                canonical("{\"€\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\uFB33\": \"Hebrew Letter Dalet With Dagesh\","
                        + " \"1\": \"One\", \"😀\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
                        + " \"ö\": \"Latin Small Letter O With Diaeresis\"}"));
        assertEquals("{\"a\":[1,{\"b\":null,\"c\":true}],\"z\":false}", canonical("{ \"z\" : false, \"a\" : [ 1 , {\"c\":true,\"b\":null} ] }"));
    }

    @Test
    void stringsEscapeOnlyWhatJsonRequires() {
        assertEquals("\"\\\"\\\\\\b\\f\\n\\r\\t\\u001f/é€\"", canonical("\"\\\"\\\\\\b\\f\\n\\r\\t\\u001F\\/\\u00e9€\""));
    }

    @Test
    void numbersAreTheirExactDecimalValueWithoutExponentOrTrailingZeros() {
        assertEquals("[0,0,1.5,1000,-12,0.000001,123456789012345678901234567890,0.1]",
                canonical("[0, -0.0, 1.50, 1E3, -12, 1e-6, 123456789012345678901234567890, 0.10000]"));
    }

    @Test
    void theSameDocumentWrittenDifferentlyHasTheSameBytes() {
        assertEquals(canonical("{\"data\":{\"n\":2,\"ratio\":1.5},\"id\":\"x\"}"),
                canonical("{\"id\" :\"x\",\n \"data\": {\"ratio\": 15e-1, \"n\": 2.0}}"));
    }

    @Test
    void notJsonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.of("{\"a\":"));
    }
}
