/**
 * The consuming side. {@link io.mandate.eventing.inbox.Inbox} applies each event once, recording
 * its id in the same transaction as its effect, retries what may pass without limit while readiness
 * is DOWN ({@link io.mandate.eventing.inbox.ConsumerStalls}), and sends what can never be applied to
 * the service's dead-letter topic ({@link io.mandate.eventing.inbox.DeadLetters}), from where
 * {@link io.mandate.eventing.inbox.DeadLetterReplay} puts it back once fixed.
 */
package io.mandate.eventing.inbox;
