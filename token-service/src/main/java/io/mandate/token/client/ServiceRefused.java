package io.mandate.token.client;

/** Another Mandate service refused a call (its problem+json {@code detail}), or could not be reached (status 503). */
public class ServiceRefused extends RuntimeException {

    private final int status;

    ServiceRefused(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
