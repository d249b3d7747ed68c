package io.mandate.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Sql} against the real PostgreSQL: binding, mapping, transactions and failures. */
@QuarkusTest
class SqlIT {

    enum Colour { red, green }

    @Inject
    Sql sql;

    @BeforeEach
    void table() {
        sql.update("""
                create table if not exists sql_it (id text primary key, at timestamptz, tags text[], counts int[],
                    colour text, raw bytea, n bigint)""");
    }

    @Test
    void valuesGoInAndComeBackAsTheyWere() {
        String id = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.update("insert into sql_it (id, at, tags, counts, colour, raw, n) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                id, at, List.of("a", "b"), new Integer[] {1, 2}, Colour.green, new byte[] {0, 1, 2}, 42L);

        record Stored(Instant at, List<String> tags, Colour colour, byte[] raw, Long n, Integer firstCount) {
        }
        Stored stored = sql.first("select at, tags, colour, raw, n, counts[1] as first_count from sql_it where id = ?1",
                row -> new Stored(row.instant("at"), row.strings("tags"), row.enumValue("colour", Colour.class),
                        row.bytes("raw"), row.longValue("n"), row.integer("first_count")), id).orElseThrow();
        assertEquals(at, stored.at());
        assertEquals(List.of("a", "b"), stored.tags());
        assertEquals(Colour.green, stored.colour());
        assertEquals(3, stored.raw().length);
        assertEquals(42L, stored.n());
        assertEquals(1, stored.firstCount());
    }

    /** A row class of {@code sql_it}: its public fields are its columns. */
    public static class Item {
        public String id;
        public Instant at;
        public List<String> tags;
        public Colour colour;
        public byte[] raw;
        public long n;
    }

    @Test
    void aRowClassGoesInByItsFieldsAndComesBackWhole() {
        Item item = new Item();
        item.id = UUID.randomUUID().toString();
        item.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        item.tags = List.of("x");
        item.colour = Colour.red;
        item.raw = new byte[] {9};
        item.n = 7;
        sql.insert("sql_it", item);

        Item read = sql.first("select " + Fields.columns(Item.class) + " from sql_it where id = ?1",
                Fields.reader(Item.class), item.id).orElseThrow();
        assertEquals(item.at, read.at);
        assertEquals(List.of("x"), read.tags);
        assertEquals(Colour.red, read.colour);
        assertEquals(9, read.raw[0]);
        assertEquals(7, read.n);
    }

    @Test
    void nullsBindWithoutATypeAndReadAsNull() {
        String id = UUID.randomUUID().toString();
        sql.update("insert into sql_it (id, at, colour) values (?1, ?2, ?3)", id, null, null);

        assertTrue(sql.exists("select 1 from sql_it where id = ?1 and at is null and colour is null", id));
        assertNull(sql.first("select n from sql_it where id = ?1", row -> row.longValue("n"), id).orElse(null));
        assertEquals(List.of(), sql.first("select tags from sql_it where id = ?1", row -> row.strings("tags"), id)
                .orElseThrow());
    }

    @Test
    void anArrayPassedAloneIsOneParameter() {
        assertEquals(3L, sql.count("select cardinality(?1)", (Object) new String[] {"x", "y", "z"}));
        assertEquals(3L, sql.count("select cardinality(?1)", new String[] {"x", "y", "z"}));
        assertEquals(2L, sql.count("select cardinality(?1)", new Integer[] {7, 8}));
    }

    @Test
    void aNumberedParameterMayAppearTwice() {
        assertEquals(10L, sql.count("select ?1 + ?1 * ?2", 2, 4));
    }

    @Test
    void writesInATransactionGoWithIt() {
        String kept = UUID.randomUUID().toString();
        String undone = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> sql.update("insert into sql_it (id) values (?1)", kept));
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            sql.update("insert into sql_it (id) values (?1)", undone);
            assertTrue(sql.exists("select 1 from sql_it where id = ?1", undone), "seen inside its transaction");
            throw new IllegalStateException("roll back");
        }));

        assertTrue(sql.exists("select 1 from sql_it where id = ?1", kept));
        assertFalse(sql.exists("select 1 from sql_it where id = ?1", undone));
    }

    @Test
    void aRefusedStatementSaysWhyByItsSqlState() {
        String id = UUID.randomUUID().toString();
        sql.update("insert into sql_it (id) values (?1)", id);

        SqlException duplicate = assertThrows(SqlException.class,
                () -> sql.update("insert into sql_it (id) values (?1)", id));
        assertEquals("23505", duplicate.sqlState(), "unique violation");
        SqlException unknownColumn = assertThrows(SqlException.class, () -> sql.count("select nothing from sql_it"));
        assertEquals("42703", unknownColumn.sqlState());
        assertThrows(IllegalArgumentException.class, () -> sql.count("select ?1 + ?2", 1), "?2 was not given");
    }

    @Test
    void anInstantPostgreSqlCannotHoldIsADataException() {
        for (String time : List.of("-290000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z")) {
            SqlException refused = assertThrows(SqlException.class,
                    () -> sql.count("select count(*) from sql_it where at < ?1", Instant.parse(time)), time);
            assertEquals("22008", refused.sqlState(), time);
        }
        assertEquals(0L, sql.count("select count(*) from sql_it where at < ?1", Instant.parse("-4000-01-01T00:00:00Z")));
    }

    @Test
    void noRowIsAnEmptyResult() {
        assertEquals(Optional.empty(), sql.first("select id from sql_it where id = ?1", row -> row.string("id"), "none"));
        assertEquals(List.of(), sql.list("select id from sql_it where id = ?1", row -> row.string("id"), "none"));
        assertEquals(0L, sql.count("select count(*) from sql_it where id = ?1", "none"));
    }
}
