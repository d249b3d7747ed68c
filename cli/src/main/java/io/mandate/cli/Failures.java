package io.mandate.cli;

import io.mandate.client.MandateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns what a command threw into one line on stderr and an {@link Exit} code: the server's status and error code
 * for a refusal, the reason for a usage problem. Never a stack trace, never a secret (error texts carry none).
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
        var err = line.getErr();
        if (e instanceof MandateException refused) {
            err.println("error: " + refused.getMessage());
            if ("invalid_client".equals(refused.error())) {
                err.println("hint: the agent's credentials were refused: a wrong key, or the agent is suspended or revoked");
            } else if (refused.status() == 401) {
                err.println("hint: sign in with `mandate login`, or set MANDATE_TOKEN");
            }
            return Exit.of(refused);
        }
        if (e instanceof UsageException usage) {
            err.println("error: " + usage.getMessage());
            return Exit.USAGE;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            err.println("error: " + e.getMessage());
            return Exit.REFUSED;
        }
        err.println("error: " + e);
        return Exit.REFUSED;
    }
}
