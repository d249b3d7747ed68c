package io.mandate.auth;

import io.mandate.eventing.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps {@link TokenRevocations} current from {@code mandate.identity} and {@code mandate.token}, in a
 * consumer group of its own in every service that checks tokens.
 */
@ApplicationScoped
public class RevocationListener {

    public static final String CHANNEL = "access-revocations";
    private static final String CONSUMER = "access-revocations";

    private final Inbox inbox;
    private final TokenRevocations revocations;

    RevocationListener(Inbox inbox, TokenRevocations revocations) {
        this.inbox = inbox;
        this.revocations = revocations;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onEvent(ConsumerRecord<String, String> record) {
        inbox.process(CONSUMER, record, TokenRevocations::concerns, revocations::apply);
    }
}
