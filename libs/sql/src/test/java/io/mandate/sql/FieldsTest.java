package io.mandate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldsTest {

    public static class Thing {
        public static final String IGNORED = "constants are not columns";
        public String id;
        public Instant createdAt;
        public List<String> chainIds;
        public short trustLevel;
    }

    @Test
    void publicFieldsAreColumnsInSnakeCase() {
        assertEquals("id, created_at, chain_ids, trust_level", Fields.columns(Thing.class));
    }

    @Test
    void valuesComeInFieldOrder() {
        Thing thing = new Thing();
        thing.id = "t1";
        thing.trustLevel = 2;

        assertEquals(List.of("t1", "null", "null", "2"),
                java.util.Arrays.stream(Fields.of(Thing.class).values(thing)).map(String::valueOf).toList());
    }
}
