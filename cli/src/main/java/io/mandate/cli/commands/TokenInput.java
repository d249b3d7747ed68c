package io.mandate.cli.commands;

import io.mandate.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A token given as an argument, or {@code -} (or nothing) for standard input. */
final class TokenInput {

    private TokenInput() {
    }

    static String read(String argument) {
        if (argument != null && !argument.equals("-")) {
            return argument.strip();
        }
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                throw new UsageException("no token: give it as an argument or on standard input");
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
