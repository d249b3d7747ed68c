package io.mandate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code mandate} (cli/target/mandate.jar) run as a process the way a user runs it, with its own profile file and
 * the platform's URL in the environment; what it printed and its exit code come back.
 */
final class Cli {

    record Result(int exit, String out, String err) {

        Result expect(int code) {
            if (exit != code) {
                throw new AssertionError("expected exit " + code + " but was " + exit + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    private final Map<String, String> env = new LinkedHashMap<>();

    Cli(Path home) throws IOException {
        Files.createDirectories(home);
        env.put("MANDATE_CONFIG", home.resolve("config.json").toString());
        env.put("MANDATE_URL", Platform.token.url());
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Starts the command without waiting: for one that prints something to act on, then waits (login --browser). */
    Process spawn(String... args) throws IOException {
        Path jar = Path.of(System.getProperty("mandate.root", ".."), "cli", "target", "mandate.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("MANDATE_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs with {@code stdin} (a secret, a token) on standard input. */
    Result runWithInput(String stdin, String... args) {
        Path jar = Path.of(System.getProperty("mandate.root", ".."), "cli", "target", "mandate.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(name -> name.startsWith("MANDATE_"));
            builder.environment().putAll(env);
            Path errors = Files.createTempFile("mandate-cli", ".err");
            builder.redirectError(errors.toFile());
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            var out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("mandate " + String.join(" ", args) + " did not end within 60 s");
            }
            String err = Files.readString(errors);
            Files.delete(errors);
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), err);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + jar + " (build it: ./mvnw -pl cli -am package)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
