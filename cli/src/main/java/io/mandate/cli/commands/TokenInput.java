package io.mandate.cli.commands;

import io.mandate.cli.Secrets;

/** A token given as an argument, or {@code -} (or nothing) for standard input. */
final class TokenInput {

    private TokenInput() {
    }

    static String read(String argument) {
        if (argument != null && !argument.equals("-")) {
            return argument.strip();
        }
        return Secrets.line("no token: give it as an argument or on standard input");
    }
}
