package io.mandate.eventing.envelope;

/** A consumed record that can never be processed (not a CloudEvent, or missing what the consumer needs). */
public class BadEventException extends RuntimeException {

    public BadEventException(String message) {
        super(message, null, false, false);
    }
}
