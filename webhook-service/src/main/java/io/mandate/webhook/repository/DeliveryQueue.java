package io.mandate.webhook.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The durable delivery queue: messages per endpoint and the log of every attempt. */
@ApplicationScoped
public class DeliveryQueue {

    private final Sql sql;

    DeliveryQueue(Sql sql) {
        this.sql = sql;
    }

    /** A message claimed for one delivery attempt, with what its endpoint needs to send it. */
    public record Claimed(String id, String endpointId, String eventType, String payload, int attempts, String url,
            byte[] sealedSecret, byte[] previousSealedSecret, Instant previousSecretExpiresAt, boolean endpointActive,
            String tenantId) {
    }

    /**
     * Queues the event once for each endpoint ({@code messageIds[i]} for {@code endpointIds[i]}), in
     * one statement; an endpoint that already has the event is skipped (a redelivered event).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(List<String> messageIds, List<String> endpointIds, String eventId, String eventType,
            String payload) {
        sql.update("""
                insert into webhook_message (id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                select m.id, m.endpoint_id, ?3, ?4, ?5, 'pending', now(), now()
                from unnest(cast(?1 as text[]), cast(?2 as text[])) as m(id, endpoint_id)
                on conflict (endpoint_id, event_id) do nothing""",
                messageIds.toArray(String[]::new), endpointIds.toArray(String[]::new), eventId, eventType, payload);
    }

    /**
     * Claims up to {@code max} due messages by pushing their next attempt out by {@code lease} (if
     * this replica dies mid-delivery, another picks them up when the lease runs out). Each live
     * endpoint, in random order, offers its oldest due messages, at most {@code perEndpoint} minus
     * what it already has in flight here ({@code inFlight}), and each tenant at most {@code perTenant}
     * minus what its endpoints have in flight here ({@code tenantsInFlight}): neither one endpoint's
     * backlog nor one tenant's slow receivers can take every worker. Rows other replicas hold are
     * skipped ({@code FOR UPDATE SKIP LOCKED}).
     */
    @Transactional
    public List<Claimed> claimDue(int max, Duration lease, int perEndpoint, Map<String, Integer> inFlight,
            int perTenant, Map<String, Integer> tenantsInFlight) {
        return sql.list("""
                with busy as (
                    select * from unnest(cast(?3 as text[]), cast(?4 as int[])) as b(endpoint_id, used)),
                tenant_busy as (
                    select * from unnest(cast(?6 as text[]), cast(?7 as int[])) as t(tenant_id, used)),
                candidates as (
                    select due.id, e.tenant_id, e.tenant_room from (
                        select e.id, e.tenant_id, ?5 - coalesce(b.used, 0) as room, ?8 - coalesce(t.used, 0) as tenant_room
                        from webhook_endpoint e
                        left join busy b on b.endpoint_id = e.id
                        left join tenant_busy t on t.tenant_id = e.tenant_id
                        where e.active and e.deleted_at is null and ?8 - coalesce(t.used, 0) > 0
                        order by random()) e
                    cross join lateral (
                        select m.id from webhook_message m
                        where m.endpoint_id = e.id and m.status = 'pending' and m.next_attempt_at <= now()
                        order by m.next_attempt_at limit greatest(least(e.room, e.tenant_room), 0)
                        for update skip locked) due
                    limit ?1 + ?8),
                picked as (
                    select id from (
                        select id, tenant_room, row_number() over (partition by tenant_id order by random()) as n
                        from candidates) c
                    where n <= tenant_room
                    limit ?1),
                claimed as (
                    update webhook_message m set next_attempt_at = now() + make_interval(secs => ?2)
                    from picked where m.id = picked.id
                    returning m.id, m.endpoint_id, m.event_type, m.payload, m.attempts)
                select c.id, c.endpoint_id, c.event_type, c.payload, c.attempts, e.url, e.secret, e.previous_secret,
                    e.previous_secret_expires_at, e.active and e.deleted_at is null as endpoint_active, e.tenant_id
                from claimed c join webhook_endpoint e on e.id = c.endpoint_id""",
                row -> new Claimed(row.string("id"), row.string("endpoint_id"), row.string("event_type"),
                        row.string("payload"), row.integer("attempts"), row.string("url"), row.bytes("secret"),
                        row.bytes("previous_secret"), row.instant("previous_secret_expires_at"),
                        row.bool("endpoint_active"), row.string("tenant_id")),
                max, (double) lease.toSeconds(), inFlight.keySet().toArray(String[]::new),
                inFlight.values().toArray(Integer[]::new), perEndpoint, tenantsInFlight.keySet().toArray(String[]::new),
                tenantsInFlight.values().toArray(Integer[]::new), perTenant);
    }

    /** Logs an attempt and moves the message on: delivered, failed, or due again at {@code retryAt}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAttempt(String messageId, Integer responseCode, long durationMs, String error, String excerpt,
            String status, Instant retryAt) {
        sql.update("""
                insert into webhook_attempt (message_id, attempted_at, response_code, duration_ms, error, response_excerpt)
                values (?1, now(), ?2, ?3, ?4, ?5)""", messageId, responseCode, (int) durationMs, error, excerpt);
        sql.update("""
                update webhook_message set attempts = attempts + 1, status = ?2,
                    next_attempt_at = coalesce(cast(?3 as timestamptz), next_attempt_at) where id = ?1""",
                messageId, status, retryAt);
    }

    /** A message the receiver took (2xx). */
    public record Delivered(String messageId, String endpointId, int code, long durationMs, String excerpt) {
    }

    /**
     * Logs successful attempts and marks their messages delivered and their endpoints healthy, all in
     * one statement.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordDelivered(List<Delivered> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        sql.update("""
                with d as (
                    select * from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as int[]), cast(?4 as int[]),
                        cast(?5 as text[])) as d(message_id, endpoint_id, code, duration_ms, excerpt)),
                attempt as (
                    insert into webhook_attempt (message_id, attempted_at, response_code, duration_ms, response_excerpt)
                    select message_id, now(), code, duration_ms, excerpt from d),
                healthy as (
                    update webhook_endpoint e set failing_since = null
                    where e.id in (select endpoint_id from d) and e.failing_since is not null)
                update webhook_message m set attempts = m.attempts + 1, status = 'delivered'
                from d where m.id = d.message_id""",
                delivered.stream().map(Delivered::messageId).toArray(String[]::new),
                delivered.stream().map(Delivered::endpointId).toArray(String[]::new),
                delivered.stream().map(Delivered::code).toArray(Integer[]::new),
                delivered.stream().map(d -> (int) d.durationMs()).toArray(Integer[]::new),
                delivered.stream().map(Delivered::excerpt).toArray(String[]::new));
    }

    public record Message(String id, String eventId, String eventType, String status, int attempts,
            Instant nextAttemptAt, Instant createdAt) {
    }

    public record Attempt(long id, String messageId, Instant attemptedAt, Integer responseCode, int durationMs,
            String error, String responseExcerpt) {
    }

    /** The endpoint's messages, newest first; {@code status} null for all; after {@code before} (an id) when given. */
    public List<Message> messages(String endpointId, String status, String before, int limit) {
        return sql.list("""
                select id, event_id, event_type, status, attempts, next_attempt_at, created_at from webhook_message
                where endpoint_id = ?1 and (cast(?2 as text) is null or status = ?2)
                  and (cast(?3 as text) is null or (created_at, id) < (select created_at, id from webhook_message where id = ?3))
                order by created_at desc, id desc limit ?4""",
                row -> new Message(row.string("id"), row.string("event_id"), row.string("event_type"), row.string("status"),
                        row.integer("attempts"), row.instant("next_attempt_at"), row.instant("created_at")),
                endpointId, status, before, limit);
    }

    /** Attempts, newest first: of one message, or ({@code messageId} null) of every message of the endpoint. */
    public List<Attempt> attempts(String endpointId, String messageId, Long beforeId, int limit) {
        return sql.list("""
                select a.id, a.message_id, a.attempted_at, a.response_code, a.duration_ms, a.error, a.response_excerpt
                from webhook_attempt a join webhook_message m on m.id = a.message_id
                where m.endpoint_id = ?1 and (cast(?2 as text) is null or m.id = ?2)
                  and (cast(?3 as bigint) is null or a.id < ?3)
                order by a.id desc limit ?4""",
                row -> new Attempt(row.longValue("id"), row.string("message_id"), row.instant("attempted_at"),
                        row.integer("response_code"), row.integer("duration_ms"), row.string("error"),
                        row.string("response_excerpt")),
                endpointId, messageId, beforeId, limit);
    }

    /** Sends the message again from a fresh retry schedule; false if the endpoint has no such message. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean redeliver(String endpointId, String messageId) {
        return sql.update("""
                update webhook_message set status = 'pending', attempts = 0, next_attempt_at = now()
                where id = ?1 and endpoint_id = ?2""", messageId, endpointId) == 1;
    }

    /** Sends again every failed message of the endpoint created since {@code since}; how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int recover(String endpointId, Instant since) {
        return sql.update("""
                update webhook_message set status = 'pending', attempts = 0, next_attempt_at = now()
                where endpoint_id = ?1 and status = 'failed' and created_at >= cast(?2 as timestamptz)""",
                endpointId, since);
    }

    /** Gives up on the endpoint's pending messages (it was disabled or deleted); {@code recover} resends them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelPending(String endpointId) {
        sql.update("update webhook_message set status = 'failed' where endpoint_id = ?1 and status = 'pending'",
                endpointId);
    }
}
