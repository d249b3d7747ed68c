package io.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.testsupport.TestInfra;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each packaged service runs as its own database role, which reads and writes rows of its own
 * database only: it cannot create, alter or drop a table, nor connect to another service's database.
 * The schema belongs to a separate owner role (the one migrations run as), and every connection to
 * the server authenticates with a password.
 */
class DatabaseRolesIT {

    private static final List<String> SERVICES = List.of("identity", "token", "delegation", "audit", "webhook");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @BeforeAll
    static void startPlatform() throws Exception {
        Platform.start();
    }

    @Test
    void everyServiceIsConnectedAsItsRuntimeRoleOnly() throws SQLException {
        for (String service : SERVICES) {
            Set<String> users = strings("mandate_" + service, """
                    select distinct usename from pg_stat_activity
                     where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()""");
            assertEquals(Set.of("mandate_" + service + "_app"), users, service + "-service's connections");
        }
    }

    @Test
    void theSchemaBelongsToTheMigrationRole() throws SQLException {
        for (String service : SERVICES) {
            Set<String> owners = strings("mandate_" + service,
                    "select distinct tableowner from pg_tables where schemaname = 'public'");
            assertEquals(Set.of("mandate_" + service + "_owner"), owners, "owners of mandate_" + service + "'s tables");
        }
    }

    @Test
    void aRuntimeRoleCannotChangeItsSchema() throws SQLException {
        for (String service : SERVICES) {
            try (Connection app = TestInfra.as("mandate_" + service + "_app", "mandate_" + service)) {
                for (String ddl : List.of("create table intruder (x int)", "alter table outbox_event add column x int",
                        "drop table outbox_event", "truncate outbox_event", "create function f() returns int language sql as 'select 1'")) {
                    SQLException refused = assertThrows(SQLException.class, () -> app.createStatement().execute(ddl),
                            service + ": " + ddl);
                    assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), service + ": " + ddl + ": " + refused);
                }
                try (ResultSet rows = app.createStatement().executeQuery("select count(*) from outbox_event")) {
                    assertTrue(rows.next(), "it still reads its own rows");
                }
            }
        }
    }

    @Test
    void aServiceRoleCannotOpenAnotherServicesDatabase() {
        for (String service : SERVICES) {
            for (String other : SERVICES) {
                if (!other.equals(service)) {
                    SQLException refused = assertThrows(SQLException.class,
                            () -> TestInfra.as("mandate_" + service + "_app", "mandate_" + other).close(),
                            service + " into " + other);
                    assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), service + " into " + other + ": " + refused);
                }
            }
        }
    }

    @Test
    void everyConnectionAuthenticatesWithAPassword() throws SQLException {
        List<String> rules = new ArrayList<>(strings("postgres",
                "select type || ' ' || coalesce(address, '-') || ' ' || auth_method from pg_hba_file_rules"));
        assertTrue(rules.stream().allMatch(rule -> rule.endsWith(" scram-sha-256")), "pg_hba rules: " + rules);
        SQLException refused = assertThrows(SQLException.class,
                () -> java.sql.DriverManager.getConnection(TestInfra.jdbcUrl("mandate_token"), "mandate_token_app",
                        "not-the-password").close());
        assertEquals("28P01", refused.getSQLState(), refused.toString());
    }

    private static Set<String> strings(String database, String query) throws SQLException {
        Set<String> values = new TreeSet<>();
        try (Connection admin = TestInfra.asAdmin(database); ResultSet rows = admin.createStatement().executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
