package io.mandate.eventing.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.eventing.EventingConfig;
import io.mandate.eventing.tracing.EventTracing;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds this service's CloudEvents: fills id, source, time and the Mandate extensions. */
@ApplicationScoped
public class Events {

    private final ObjectMapper mapper;
    private final String source;

    Events(ObjectMapper mapper, EventingConfig config) {
        this.mapper = mapper;
        this.source = config.source();
    }

    /**
     * @param subject      the aggregate id the event is about ({@code agt_...})
     * @param partitionKey the Kafka key: the agent id, or the aggregate id where no agent is involved
     * @param payload      serialized with the service's snake_case mapper; must carry {@code tenant_id}.
     *                     Kept as it is until the event is written (no JSON tree built on the token path):
     *                     the {@code data} of a created event is for serializing, not for reading.
     *                     The event's {@code traceparent} is the span it is created in, if any.
     */
    public CloudEvent create(String type, String subject, String tenantId, String partitionKey, Actor actor,
            Object payload) {
        JsonNode data = mapper.getNodeFactory().pojoNode(payload);
        return new CloudEvent(EventIds.newId(), source, CloudEvent.SPEC_VERSION, type,
                Instant.now().truncatedTo(ChronoUnit.MICROS).toString(), subject, "application/json", tenantId,
                partitionKey, actor.type(), actor.id(), EventTracing.traceparent(), data);
    }

    public String toJson(CloudEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException("CloudEvent not serializable: " + event.type(), e);
        }
    }

    /** Parses a structured-mode CloudEvent; rejects what lacks the required attributes. */
    private CloudEvent parse(String json) {
        CloudEvent event;
        try {
            event = mapper.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new BadEventException("not a CloudEvents JSON document: " + e.getOriginalMessage());
        }
        if (event == null || blank(event.id()) || blank(event.type()) || blank(event.source())
                || !CloudEvent.SPEC_VERSION.equals(event.specversion())) {
            throw new BadEventException("missing required CloudEvents attributes (id, type, source, specversion 1.0)");
        }
        return event;
    }

    /**
     * {@link #parse(String)}, and refuses an event whose {@code source} is not the service that owns
     * {@code topic}: a record another principal managed to put there is never applied.
     */
    public CloudEvent parse(String topic, String json) {
        CloudEvent event = parse(json);
        Topics.ownerSource(topic).ifPresent(owner -> {
            if (!owner.equals(event.source())) {
                throw new BadEventException("source '" + shown(event.source()) + "' may not write " + topic);
            }
        });
        return event;
    }

    /** At most 100 printable characters of what a foreign writer put in an attribute (it goes into logs and headers). */
    private static String shown(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 100 ? printable : printable.substring(0, 100) + "...";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
