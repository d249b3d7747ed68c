package io.mandate.eventing.inbox;

import io.mandate.eventing.envelope.BadEventException;
import java.sql.SQLException;

/** Tells a failure that retrying cannot cure from one that may pass (database or broker away, a timeout). */
public final class Failures {

    /** SQLSTATE class 22, data exception: a value the database can never store (NUL in text, a date out of range). */
    private static final String DATA_EXCEPTION = "22";

    private Failures() {
    }

    /** True for a refused event ({@link BadEventException}, {@link IllegalArgumentException}) or refused data. */
    public static boolean neverApplies(Throwable failure) {
        if (failure instanceof BadEventException || failure instanceof IllegalArgumentException) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(DATA_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first line of the innermost message, which names what went wrong (wrappers say only that a statement
     * failed). PostgreSQL's further lines ({@code Detail: Failing row contains ...}) are left out:
     * they may quote a row of the credentials projection.
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines()
                .findFirst().orElse("");
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
