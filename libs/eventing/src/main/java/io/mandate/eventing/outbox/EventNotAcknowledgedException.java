package io.mandate.eventing.outbox;

/** Kafka did not acknowledge an event in time: the caller must not report success. */
public class EventNotAcknowledgedException extends RuntimeException {

    public EventNotAcknowledgedException(String eventType, Throwable cause) {
        super("event " + eventType + " was not acknowledged by Kafka", cause);
    }
}
