package io.mandate.webhook.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js receiver's check of a delivery: the npm {@code standardwebhooks} package (installed
 * once into {@code target/npm} from {@code src/test/resources/npm}) verifies the signature.
 */
final class NodeReceiver {

    private static final Path DIR = Path.of("target", "npm");

    private NodeReceiver() {
    }

    /** What the npm library says: {@code verified}, or {@code exit 1: refused: <why>}. */
    static String verify(String secret, Map<String, List<String>> headers, String body) throws Exception {
        install();
        Path input = Files.createTempFile(DIR, "delivery", ".json");
        Map<String, String> single = Map.of("webhook-id", headers.get("webhook-id").get(0),
                "webhook-timestamp", headers.get("webhook-timestamp").get(0),
                "webhook-signature", headers.get("webhook-signature").get(0));
        new ObjectMapper().writeValue(input.toFile(), Map.of("secret", secret, "headers", single, "body", body));
        return run(List.of("node", "verify.mjs", input.getFileName().toString()));
    }

    private static synchronized void install() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
            return;
        }
        Files.createDirectories(DIR);
        for (String file : List.of("package.json", "verify.mjs")) {
            try (InputStream in = NodeReceiver.class.getResourceAsStream("/npm/" + file)) {
                Files.write(DIR.resolve(file), in.readAllBytes());
            }
        }
        String out = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
        if (!Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
            throw new IllegalStateException("npm install standardwebhooks failed: " + out);
        }
    }

    /** Runs the command in {@link #DIR}: its output, prefixed with "exit N: " when it fails. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " timed out");
        }
        return process.exitValue() == 0 ? out : "exit " + process.exitValue() + ": " + out;
    }
}
