package io.mandate.eventing;

import io.mandate.eventing.inbox.DeadLetters;
import io.mandate.eventing.inbox.Inbox;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tunables of the outbox relay and the inbox. */
@ConfigMapping(prefix = "mandate.eventing")
public interface EventingConfig {

    /** CloudEvents {@code source}, e.g. {@code /mandate/identity-service}. */
    String source();

    Relay relay();

    Inbox inbox();

    /** Timeout for a direct publish that waits for the broker's acknowledgement. */
    @WithDefault("5s")
    Duration publishTimeout();

    interface Relay {
        /** Off in tests that drive the relay by hand. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("500")
        int batchSize();

        /** How often the relay looks for rows when no commit woke it (other replicas, missed wake-ups). */
        @WithDefault("500ms")
        Duration pollInterval();
    }

    interface Inbox {
        /** The first wait before an event whose effect failed is tried again; it doubles up to {@link #maxBackoff}. */
        @WithDefault("100ms")
        Duration initialBackoff();

        /** The longest wait between two attempts at an event; there is no last attempt. */
        @WithDefault("5s")
        Duration maxBackoff();

        /** Where records that can never be applied go ({@link io.mandate.eventing.inbox.DeadLetters}). */
        @WithDefault("mandate.dlq.${quarkus.application.name}")
        String deadLetterTopic();

        /**
         * How long an event's id is remembered. Must be longer than any topic's retention (Kafka's
         * default is 7 days): an event older than that cannot be delivered again.
         */
        @WithDefault("14d")
        Duration retention();

        /** How often the ids past their retention are removed. */
        @WithDefault("1h")
        Duration pruneInterval();
    }
}
