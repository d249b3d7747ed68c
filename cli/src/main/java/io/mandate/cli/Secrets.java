package io.mandate.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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
                return line("standard input was empty");
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

    /** The first line of standard input, stripped; {@code whenEmpty} as a usage error when there is none. */
    public static String line(String whenEmpty) {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isBlank()) {
                throw new UsageException(whenEmpty);
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a secret (a private key) to a new file readable by its owner only, made so before anything is in it.
     */
    public static void writePrivate(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file); // the user's folder is private on systems without POSIX permissions
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String strip(String text) {
        return text.strip();
    }
}
