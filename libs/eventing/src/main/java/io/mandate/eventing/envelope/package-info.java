/**
 * What an event is: the CloudEvents envelope Mandate writes ({@link io.mandate.eventing.envelope.CloudEvent}),
 * its ids and actor, the topics and which service owns each ({@link io.mandate.eventing.envelope.Topics}),
 * and {@link io.mandate.eventing.envelope.Events}, which builds envelopes and parses what arrives,
 * refusing an event whose {@code source} is not its topic's owner. The catalogue is docs/events.md.
 */
package io.mandate.eventing.envelope;
