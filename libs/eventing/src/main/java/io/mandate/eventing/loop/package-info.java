/**
 * {@link io.mandate.eventing.loop.WakeableLoop}: the one background loop of the services (outbox
 * relay, pruning, webhook dispatch), which runs every interval or at once when woken.
 */
package io.mandate.eventing.loop;
