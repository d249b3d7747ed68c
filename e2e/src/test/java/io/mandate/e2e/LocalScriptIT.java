package io.mandate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/local/mandate} tells a user which variable moves a port that is taken, and reads
 * the variable it names. Run against the local profile's PostgreSQL port (54320), which no test uses;
 * skipped where a local stack is running (its PostgreSQL would be found running, the port never checked).
 */
class LocalScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("mandate.root", ".."));
    private static final int LOCAL_PG_PORT = 54320;

    private record Run(int exit, String output) {
    }

    private static Run script(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("deploy/local/mandate").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The tests run with the test stack's MANDATE_DB_PORT; the local profile would take it as its own.
        builder.environment().remove("MANDATE_DB_PORT");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script did not finish: " + output);
        return new Run(process.exitValue(), output);
    }

    @Test
    void aTakenPortNamesTheVariableThatMovesItAndThatVariableIsRead() throws Exception {
        assumeFalse(Files.exists(ROOT.resolve(".mandate/local/pg/postmaster.pid")), "a local stack is running");
        try (ServerSocket defaultPort = new ServerSocket(LOCAL_PG_PORT, 1, InetAddress.getLoopbackAddress());
                ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run first = script(Map.of(), "infra-start");
            assertEquals(1, first.exit(), first.output());
            assertTrue(first.output().contains("port " + LOCAL_PG_PORT + " (PostgreSQL) is in use"), first.output());
            String named = first.output().replaceAll("(?s).*free it or set (\\w+).*", "$1").trim();

            Run second = script(Map.of(named, Integer.toString(other.getLocalPort())), "infra-start");
            assertEquals(1, second.exit(), second.output());
            assertTrue(second.output().contains("port " + other.getLocalPort() + " (PostgreSQL) is in use"),
                    "setting " + named + ", as the message says, moves the port: " + second.output());
        }
    }
}
