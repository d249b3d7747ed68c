package io.mandate.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The subset rule as a table: with the catalogue's implications ({@code entry>implied implied; ...}),
 * does holding {@code held} (space-separated) allow {@code requested}?
 */
class ScopeCatalogueTableTest {

    @ParameterizedTest(name = "[{0}] {1} covers {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        // wildcards, as they always were
        "                                      | svc:*:*               | svc:res:read        | true",
        "                                      | *:res:act             | x:res:act           | true",
        "                                      | *:*:*                 | a:b:c               | true",
        "                                      | *:*:*                 | *:*:*               | true",
        "                                      | svc:res:*             | svc:res:*           | true",
        "                                      | svc:*:read            | svc:*:read          | true",
        "                                      | svc:res:read          | svc:res:*           | false",
        "                                      | svc:res:read          | svc:res:write       | false",
        "                                      | svc:*:*               | other:res:read      | false",
        "                                      | svc:*:read            | svc:*:*             | false",
        "                                      | *:*:read              | *:*:*               | false",
        "                                      | svc:res:read          | *:*:*               | false",
        // a wildcard part only stands for a part: the number of parts must match
        "                                      | *:*:*                 | read                | false",
        "                                      | *:*:*                 | read:reports        | false",
        "                                      | files:*               | files:read          | true",
        "                                      | files:*               | files:read:all      | false",
        "                                      | *                     | read                | true",
        "                                      | *                     | crm:contacts:read   | true",
        "                                      | *                     | *:*:*               | true",
        // plain scopes: exact, case-sensitive
        "                                      | read write            | read                | true",
        "                                      | read                  | write               | false",
        "                                      | read:reports          | read:reports        | true",
        "                                      | read:reports          | read:invoices       | false",
        "                                      | basic                 | Basic               | false",
        // hierarchies (AgentUp's)
        "files:write>files:read                 | files:write           | files:read          | true",
        "files:write>files:read                 | files:read            | files:write         | false",
        "files:admin>files:write; files:write>files:read | files:admin | files:read        | true",
        "admin>*                               | admin                 | crm:contacts:read   | true",
        "admin>*                               | admin                 | premium             | true",
        "premium>basic                         | premium               | basic               | true",
        "premium>basic                         | basic                 | premium             | false",
        "admin>premium; premium>basic          | admin                 | basic               | true",
        // cycles end
        "a>b; b>a                              | a                     | b                   | true",
        "a>b; b>a                              | a                     | c                   | false",
        // mixed: a wildcard holds the entries it covers, and with them what they imply
        "files:admin>files:write billing:read  | files:*               | billing:read        | true",
        "crm:deals:admin>reports               | crm:*:*               | reports             | true",
        "crm:deals:admin>reports               | crm:*:read            | reports             | false",
        "files:write>files:read                 | files:write crm:*:*   | crm:deals:read      | true",
        "files:write>files:read                 | files:write crm:*:*   | files:*             | false",
        // an implication is no wildcard: it does not reach past what it names
        "files:write>files:read                 | files:write           | files:delete        | false",
        "reports>read:reports                   | reports               | read:invoices       | false",
    })
    void implicationAwareSubsetRule(String implications, String held, String requested, boolean covered) {
        ScopeCatalogue catalogue = ScopeCatalogue.of(parse(implications));
        assertEquals(covered, catalogue.uncovered(List.of(held.split(" ")), List.of(requested)).isEmpty());
        assertEquals(covered, catalogue.covered(List.of(held.split(" ")), List.of(requested)).equals(List.of(requested)));
    }

    @Test
    void anEmptyCatalogueKnowsEverythingAndACatalogueOnlyItsEntries() {
        assertEquals(List.of(), ScopeCatalogue.EMPTY.unknown(List.of("anything", "a:b:c")));
        ScopeCatalogue catalogue = ScopeCatalogue.of(parse("files:write>files:read; files:read>"));
        assertEquals(List.of("files:delete", "crm:*:*", "*:*:*"), catalogue.unknown(
                List.of("files:read", "files:write", "files:delete", "files:*", "crm:*:*", "*", "*:*", "*:*:*")));
    }

    @Test
    void implicationsAloneCloseNothingButAddToACatalogue() {
        ScopeCatalogue resource = ScopeCatalogue.implications(parse("tools:call>tools:list; tools:list>"));
        assertEquals(List.of(), resource.unknown(List.of("anything")));
        assertEquals(List.of(), resource.uncovered(List.of("tools:call"), List.of("tools:list")));
        ScopeCatalogue tenant = ScopeCatalogue.of(parse("files:write>files:read; files:read>"));
        ScopeCatalogue both = tenant.and(resource);
        assertEquals(List.of("anything"), both.unknown(List.of("tools:list", "files:read", "anything")));
        assertEquals(List.of(), both.uncovered(List.of("tools:call", "files:write"), List.of("tools:list", "files:read")));
        ScopeCatalogue twice = ScopeCatalogue.of(parse("admin>basic")).and(ScopeCatalogue.implications(parse("admin>premium")));
        assertEquals(List.of("basic", "premium"), twice.entries().get("admin"));
    }

    @Test
    void theClosureListsTheHeldScopesFirstThenWhatTheyImply() {
        ScopeCatalogue catalogue = ScopeCatalogue.of(parse("admin>premium; premium>basic"));
        assertEquals(List.of("admin", "other", "premium", "basic"),
                catalogue.closure(List.of("admin", "other")).stream().map(Scope::value).toList());
    }

    /** {@code "a>b c; d>e"} as entry → implied scopes. */
    private static Map<String, List<String>> parse(String implications) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        if (implications == null) {
            return entries;
        }
        for (String rule : implications.split(";")) {
            String[] sides = rule.trim().split(">", -1);
            entries.put(sides[0], sides[1].isEmpty() ? List.of() : Arrays.asList(sides[1].split(" ")));
        }
        return entries;
    }
}
