package io.mandate.eventing.inbox;

import io.mandate.eventing.KafkaClients;
import io.mandate.eventing.envelope.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts dead-lettered records back on the topic they came from (header {@value DeadLetters#TOPIC_HEADER}),
 * once the cause is fixed: every consumer of that topic sees them again and, being idempotent, applies
 * each at most once. Progress is kept in the consumer group {@code <dead-letter topic>.replay}, so a
 * record is put back once however often the command runs. Plain Kafka clients, no Quarkus: run by
 * {@code deploy/local/mandate replay-dead-letters}.
 */
public final class DeadLetterReplay {

    private DeadLetterReplay() {
    }

    /** A record put back (or, on a dry run, that would be). */
    public record Replayed(String topic, String key, long deadLetterOffset, String reason) {
    }

    /**
     * Replays what the dead-letter topic holds now (records arriving meanwhile wait for the next run).
     *
     * @param dryRun list only; nothing is put back and the group does not move
     */
    public static List<Replayed> replay(Properties connection, String deadLetterTopic, boolean dryRun,
            Consumer<Replayed> each) {
        List<Replayed> replayed = new ArrayList<>();
        Properties consumerProps = new Properties();
        consumerProps.putAll(connection);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, deadLetterTopic + ".replay");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Properties producerProps = new Properties();
        producerProps.putAll(connection);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer());
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                        new StringSerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Several consumers of one topic may each have dead-lettered the same record: it goes back once.
            Set<String> putBack = new HashSet<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> dead : consumer.poll(Duration.ofSeconds(1))) {
                    if (dead.offset() >= end.get(new TopicPartition(dead.topic(), dead.partition()))) {
                        continue;
                    }
                    Replayed record = new Replayed(header(dead, DeadLetters.TOPIC_HEADER), dead.key(), dead.offset(),
                            header(dead, DeadLetters.REASON_HEADER));
                    if (record.topic() == null || record.topic().isEmpty()) {
                        throw new IllegalStateException(deadLetterTopic + "@" + dead.offset()
                                + " does not say where it came from (" + DeadLetters.TOPIC_HEADER + ")");
                    }
                    String source = record.topic() + "-" + header(dead, DeadLetters.PARTITION_HEADER) + "@"
                            + header(dead, DeadLetters.OFFSET_HEADER);
                    boolean first = putBack.add(source);
                    if (!dryRun) {
                        if (first) {
                            ProducerRecord<String, String> back = new ProducerRecord<>(record.topic(), dead.key(),
                                    dead.value());
                            Header contentType = dead.headers().lastHeader("content-type");
                            back.headers().add("content-type", contentType != null ? contentType.value()
                                    : CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                            producer.send(back).get(30, TimeUnit.SECONDS);
                        }
                        consumer.commitSync(Map.of(new TopicPartition(dead.topic(), dead.partition()),
                                new OffsetAndMetadata(dead.offset() + 1)));
                    }
                    if (!first) {
                        continue;
                    }
                    replayed.add(record);
                    each.accept(record);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + deadLetterTopic, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not take a replayed record back", e);
        }
        return replayed;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * {@code DeadLetterReplay <bootstrap servers> <dead-letter topic> [--dry-run]}, signed in as the
     * SCRAM user {@code MANDATE_KAFKA_USERNAME} (password {@code MANDATE_KAFKA_PASSWORD}): one that may
     * write every topic a record came from, the broker's administrator in practice.
     */
    public static void main(String[] args) {
        String user = System.getenv("MANDATE_KAFKA_USERNAME");
        String password = System.getenv("MANDATE_KAFKA_PASSWORD");
        if (args.length < 2 || user == null || password == null) {
            System.err.println("usage: MANDATE_KAFKA_USERNAME=.. MANDATE_KAFKA_PASSWORD=.. DeadLetterReplay"
                    + " <bootstrap servers> <dead-letter topic> [--dry-run]");
            System.exit(2);
        }
        boolean dryRun = args.length > 2 && "--dry-run".equals(args[2]);
        List<Replayed> done = replay(KafkaClients.scram(args[0], user, password), args[1], dryRun,
                record -> System.out.printf("%s %s key=%s (dead-lettered at %d: %s)%n",
                        dryRun ? "would put back on" : "put back on", record.topic(), record.key(),
                        record.deadLetterOffset(), record.reason()));
        System.out.printf("%d record(s) %s%n", done.size(), dryRun ? "would be replayed" : "replayed");
    }
}
