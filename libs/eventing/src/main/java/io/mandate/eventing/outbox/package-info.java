/**
 * The producing side. A service writes its events to the {@code outbox} table in the transaction
 * that changes its state ({@link io.mandate.eventing.outbox.Outbox}); one replica at a time
 * ({@link io.mandate.eventing.outbox.PublisherLock}) relays them to Kafka in order
 * ({@link io.mandate.eventing.outbox.OutboxRelay}), and deletes a row only once Kafka acknowledged it.
 * {@link io.mandate.eventing.outbox.EventPublisher} sends an event that records no database change
 * straight to Kafka (token-service's {@code agent.verified}).
 */
package io.mandate.eventing.outbox;
