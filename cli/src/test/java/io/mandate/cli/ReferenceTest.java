package io.mandate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    @Test
    void theCommittedReferenceIsTheOneTheCodeGenerates() throws Exception {
        Path committed = Path.of("..", "docs", "reference", "cli.md");
        assertTrue(Files.exists(committed), "docs/reference/cli.md is missing: run bin/reference");
        assertEquals(Reference.markdown(), Files.readString(committed), "docs/reference/cli.md is out of date: run bin/reference");
    }

    @Test
    void everyCommandHasHelpAndADescription() {
        String reference = Reference.markdown();
        for (String command : new String[] {"mandate login", "mandate agents rotate-key", "mandate delegations approve",
                "mandate webhooks redeliver", "mandate audit follow", "mandate token mint-test", "mandate webhook verify"}) {
            assertTrue(reference.contains("## `" + command + "`") || reference.contains("# `" + command + "`"), command);
        }
        assertTrue(!reference.contains("Usage: mandate help"), "the help command needs no page");
    }
}
