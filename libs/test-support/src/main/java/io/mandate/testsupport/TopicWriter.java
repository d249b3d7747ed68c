package io.mandate.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts records on a topic as another service's {@code EventProducer} would (with its
 * {@code content-type: application/cloudevents+json} header), waiting for the broker's acknowledgement.
 */
public final class TopicWriter implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    /** Writes as the test broker's administrator, which may write every topic. */
    public TopicWriter() {
        this(TestInfra.kafkaAdmin());
    }

    /** Writes as the client {@code connection} describes ({@link TestInfra#kafkaClient}). */
    public TopicWriter(Properties connection) {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public void send(String topic, String key, String value) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
