package io.mandate.eventing.inbox;

/** The service stopped while an event was being retried: it is neither acknowledged nor dead-lettered. */
public class InboxStoppedException extends RuntimeException {

    public InboxStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
