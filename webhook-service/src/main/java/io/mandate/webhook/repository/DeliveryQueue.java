package io.mandate.webhook.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The durable delivery queue: messages per endpoint and the log of every attempt. */
@ApplicationScoped
public class DeliveryQueue {

    private final EntityManager em;

    DeliveryQueue(EntityManager em) {
        this.em = em;
    }

    /** A message claimed for one delivery attempt, with what its endpoint needs to send it. */
    public record Claimed(String id, String endpointId, String payload, int attempts, String url, byte[] sealedSecret,
            boolean endpointActive) {
    }

    /** Queues the event for the endpoint once; a redelivered event is not queued twice. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String messageId, String endpointId, String eventId, String eventType, String payload) {
        em.createNativeQuery("""
                insert into webhook_message (id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                values (?1, ?2, ?3, ?4, ?5, 'pending', now(), now())
                on conflict (endpoint_id, event_id) do nothing""")
                .setParameter(1, messageId).setParameter(2, endpointId).setParameter(3, eventId)
                .setParameter(4, eventType).setParameter(5, payload)
                .executeUpdate();
    }

    /**
     * Claims due messages by pushing their next attempt out by {@code lease}: if this replica dies
     * mid-delivery, another picks them up when the lease runs out.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Claimed> claimDue(int max, Duration lease) {
        List<Object[]> rows = em.createNativeQuery("""
                with claimed as (
                    update webhook_message m set next_attempt_at = now() + make_interval(secs => ?2)
                    where m.id in (select id from webhook_message where status = 'pending' and next_attempt_at <= now()
                                   order by next_attempt_at limit ?1 for update skip locked)
                    returning m.id, m.endpoint_id, m.payload, m.attempts)
                select c.id, c.endpoint_id, c.payload, c.attempts, e.url, e.secret, e.active
                from claimed c join webhook_endpoint e on e.id = c.endpoint_id""")
                .setParameter(1, max).setParameter(2, (double) lease.toSeconds())
                .getResultList();
        return rows.stream().map(r -> new Claimed((String) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).intValue(), (String) r[4], (byte[]) r[5], (Boolean) r[6])).toList();
    }

    /**
     * Logs an attempt and moves the message on: delivered, failed, or due again at {@code retryAt}.
     */
    @Transactional
    public void recordAttempt(String messageId, Integer responseCode, long durationMs, String error, String status,
            Instant retryAt) {
        em.createNativeQuery("""
                insert into webhook_attempt (message_id, attempted_at, response_code, duration_ms, error)
                values (?1, now(), ?2, ?3, ?4)""")
                .setParameter(1, messageId).setParameter(2, responseCode).setParameter(3, (int) durationMs)
                .setParameter(4, error)
                .executeUpdate();
        em.createNativeQuery("""
                update webhook_message set attempts = attempts + 1, status = ?2,
                    next_attempt_at = coalesce(cast(?3 as timestamptz), next_attempt_at) where id = ?1""")
                .setParameter(1, messageId).setParameter(2, status)
                .setParameter(3, retryAt)
                .executeUpdate();
    }
}
