package io.mandate.eventing.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The consumers that cannot apply an event right now (database or broker away) and keep retrying it:
 * while there is one, readiness is DOWN and {@value #METRIC} is above zero. Nothing is skipped meanwhile.
 */
@Readiness
@Default
@ApplicationScoped
public class ConsumerStalls implements HealthCheck {

    public static final String METRIC = "mandate.events.consumers.stalled";

    private record Stall(String consumer, String work, Instant since, String failure) {
    }

    private final Map<String, Stall> stalls = new ConcurrentHashMap<>();

    ConsumerStalls(MeterRegistry metrics) {
        metrics.gaugeMapSize(METRIC, List.of(), stalls);
    }

    void failing(String consumer, String work, String failure) {
        stalls.compute(consumer + " " + work, (key, old) -> new Stall(consumer, work,
                old == null ? Instant.now() : old.since(), failure));
    }

    void recovered(String consumer, String work) {
        stalls.remove(consumer + " " + work);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event consumers").status(stalls.isEmpty());
        stalls.values().forEach(stall -> response.withData(stall.consumer() + ": " + stall.work(),
                "failing since " + stall.since() + ": " + stall.failure()));
        return response.build();
    }
}
