package io.mandate.eventing.tracing;

import io.mandate.eventing.envelope.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;

/**
 * Carries a trace across Kafka in the CloudEvents {@code traceparent} attribute (the CloudEvents
 * distributed tracing extension, W3C Trace Context format): a producer records the span it was in
 * ({@link #traceparent()}), a consumer continues from it ({@link #process}). With tracing off (no
 * exporter configured) there is no current span, so events carry no {@code traceparent} and
 * consumers start no spans worth keeping.
 */
@ApplicationScoped
public class EventTracing {

    private static final String TRACEPARENT = "traceparent";

    /** Reads the {@code traceparent} attribute of an event for the W3C propagator. */
    private static final TextMapGetter<CloudEvent> FROM_EVENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CloudEvent event) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(CloudEvent event, String key) {
            return event != null && TRACEPARENT.equals(key) ? event.traceparent() : null;
        }
    };

    private final Tracer tracer;

    EventTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The current span as a W3C {@code traceparent}, or null outside any span (or with tracing off). */
    public static String traceparent() {
        SpanContext current = Span.current().getSpanContext();
        return current.isValid()
                ? "00-" + current.getTraceId() + "-" + current.getSpanId() + "-" + current.getTraceFlags().asHex()
                : null;
    }

    /** The span an event was produced in, as a context to continue from; a bad or absent value is none. */
    static SpanContext producedIn(CloudEvent event) {
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), event, FROM_EVENT);
        return Span.fromContext(extracted).getSpanContext();
    }

    /**
     * Runs {@code work} (applying {@code events} from {@code topic}, null for a batch from several) in a consumer span, current while it
     * runs, so that the events it writes carry the trace on. One event: the span is a child of the span
     * the event was produced in. A batch: a new trace, linked to each event's (the OpenTelemetry messaging
     * conventions for batch processing).
     */
    public <T> T process(String consumer, String topic, List<CloudEvent> events, Supplier<T> work) {
        SpanBuilder span = tracer.spanBuilder(topic == null ? "process" : "process " + topic)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.consumer.group.name", consumer);
        if (topic != null) {
            span.setAttribute("messaging.destination.name", topic);
        }
        if (events.size() == 1) {
            CloudEvent event = events.get(0);
            span.setParent(Context.root().with(Span.wrap(producedIn(event))))
                    .setAttribute("messaging.message.id", event.id())
                    .setAttribute("cloudevents.event_id", event.id())
                    .setAttribute("cloudevents.event_type", event.type());
        } else {
            span.setNoParent().setAttribute("messaging.batch.message_count", events.size());
            for (CloudEvent event : events) {
                SpanContext producer = producedIn(event);
                if (producer.isValid()) {
                    span.addLink(producer);
                }
            }
        }
        Span started = span.startSpan();
        try (Scope scope = started.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            started.recordException(e);
            started.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            started.end();
        }
    }
}
