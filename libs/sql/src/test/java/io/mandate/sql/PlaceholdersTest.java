package io.mandate.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void numberedPlaceholdersBecomePositionalInTheOrderTheyAppear() {
        Placeholders.Parsed parsed = Placeholders.parse("update t set a = ?2, b = ?10 where id = ?1 or parent = ?1");

        assertEquals("update t set a = ?, b = ? where id = ? or parent = ?", parsed.jdbc());
        assertArrayEquals(new int[] {2, 10, 1, 1}, parsed.order());
    }

    @Test
    void aQuestionMarkInQuotesIsText() {
        Placeholders.Parsed parsed = Placeholders.parse("select '?1 and ?', \"a?b\" from t where x = ?1");

        assertEquals("select '?1 and ?', \"a?b\" from t where x = ?", parsed.jdbc());
        assertArrayEquals(new int[] {1}, parsed.order());
    }

    @Test
    void anUnnumberedPlaceholderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Placeholders.parse("select * from t where a = ?"));
    }
}
