/**
 * Traces across Kafka: {@link io.mandate.eventing.tracing.EventTracing} puts the producer's span in each
 * CloudEvent's {@code traceparent} and continues it where the event is applied.
 */
package io.mandate.eventing.tracing;
