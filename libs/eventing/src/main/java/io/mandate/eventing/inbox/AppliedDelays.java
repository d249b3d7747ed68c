package io.mandate.eventing.inbox;

import io.mandate.eventing.envelope.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long after it was written (its {@code time}) each event was applied, per consumer, as {@value #METRIC}
 * with buckets at 100 ms, 250 ms, 1 s, 5 s and 30 s. For token-service's consumers this is the revocation lag:
 * the time between a revocation and the moment the service refuses the tokens it ends.
 */
@ApplicationScoped
public class AppliedDelays {

    public static final String METRIC = "mandate.events.applied.delay";

    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    AppliedDelays(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Records {@code applied}, just committed by {@code consumer}. */
    void record(String consumer, List<CloudEvent> applied) {
        if (applied.isEmpty()) {
            return;
        }
        Timer timer = timers.computeIfAbsent(consumer, name -> Timer.builder(METRIC)
                .description("Time from an event's writing to its application by the consumer")
                .tag("consumer", name)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(30))
                .register(metrics));
        Instant now = Instant.now();
        for (CloudEvent event : applied) {
            if (event.time() == null) {
                continue; // optional in CloudEvents: no delay to tell
            }
            try {
                Duration delay = Duration.between(Instant.parse(event.time()), now);
                timer.record(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeParseException unreadable) {
                // a foreign writer's time in another format: no delay to tell either
            }
        }
    }
}
