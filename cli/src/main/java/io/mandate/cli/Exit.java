package io.mandate.cli;

import io.mandate.client.MandateException;

/** The exit codes scripts may rely on (also listed in {@code mandate --help}). */
public final class Exit {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int NOT_FOUND = 4;
    public static final int UNAVAILABLE = 5;

    private Exit() {
    }

    /** The exit code for an answer from Mandate. */
    public static int of(MandateException e) {
        int status = e.status();
        if (status == 0 || status >= 500) {
            return UNAVAILABLE;
        }
        if (status == 401 || status == 403) {
            return AUTH;
        }
        return status == 404 ? NOT_FOUND : REFUSED;
    }
}
