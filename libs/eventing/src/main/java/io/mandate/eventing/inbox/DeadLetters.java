package io.mandate.eventing.inbox;

import io.mandate.eventing.EventingConfig;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.outbox.EventProducer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Where a record goes that can never be applied (not a CloudEvent, a payload the consumer refuses, data
 * the database rejects as such): the service's dead-letter topic, with where it came from and why, so
 * that {@code deploy/local/mandate replay-dead-letters} can put it back once the cause is fixed. Each one
 * counts in {@value #METRIC}, the number an alert watches.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String METRIC = "mandate.events.dead.lettered";
    public static final String TOPIC_HEADER = "dead-letter-topic";
    public static final String PARTITION_HEADER = "dead-letter-partition";
    public static final String OFFSET_HEADER = "dead-letter-offset";
    public static final String REASON_HEADER = "dead-letter-reason";
    public static final String CONSUMER_HEADER = "dead-letter-consumer";

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final EventProducer producer;
    private final MeterRegistry metrics;
    private final String topic;

    DeadLetters(EventProducer producer, MeterRegistry metrics, EventingConfig config) {
        this.producer = producer;
        this.metrics = metrics;
        this.topic = config.inbox().deadLetterTopic();
    }

    /** A record as it was consumed. */
    public record Delivered(String topic, int partition, long offset, String key, String payload) {
    }

    /**
     * Puts {@code record} on the dead-letter topic and waits (10 s at most) for the broker's acknowledgement;
     * once it returns, the caller may let the offset move on.
     */
    void send(String consumer, Delivered record, String type, String reason) throws Exception {
        LOG.errorf("%s: %s at %s-%d@%d can never be applied, dead-lettered to %s: %s", consumer,
                type == null ? "a record" : tag(type), record.topic(), record.partition(), record.offset(), topic, reason);
        ProducerRecord<String, String> dead = new ProducerRecord<>(topic, record.key(), record.payload());
        header(dead, TOPIC_HEADER, record.topic());
        header(dead, PARTITION_HEADER, Integer.toString(record.partition()));
        header(dead, OFFSET_HEADER, Long.toString(record.offset()));
        header(dead, REASON_HEADER, reason);
        header(dead, CONSUMER_HEADER, consumer);
        header(dead, "content-type", CloudEvent.CONTENT_TYPE);
        producer.send(dead).get(10, TimeUnit.SECONDS);
        metrics.counter(METRIC, "consumer", consumer, "type", tag(type)).increment();
    }

    /** The event type as a metric tag: control characters (a NUL is a reason to be here) and length bounded. */
    private static String tag(String type) {
        if (type == null) {
            return "unparseable";
        }
        String clean = type.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
