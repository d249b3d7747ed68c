package io.mandate.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Secrets come from a file, standard input or a prompt without echo: never from the command line. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * The secret from {@code file} if given, else standard input if {@code fromStdin}, else a prompt on the terminal.
     *
     * @throws UsageException when neither is given and there is no terminal to ask on
     */
    public static String read(Path file, boolean fromStdin, String prompt) {
        if (file != null && fromStdin) {
            throw new UsageException("give the secret in a file or on standard input, not both");
        }
        try {
            if (file != null) {
                return strip(Files.readString(file));
            }
            if (fromStdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null || line.isBlank()) {
                    throw new UsageException("standard input was empty");
                }
                return strip(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret: " + e.getMessage(), e);
        }
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the " + prompt + " on: pass it with a --…-stdin or --…-file "
                    + "option");
        }
        char[] typed = console.readPassword("%s: ", prompt);
        if (typed == null || typed.length == 0) {
            throw new UsageException("no " + prompt + " given");
        }
        return new String(typed);
    }

    private static String strip(String text) {
        return text.strip();
    }
}
