package io.mandate.audit.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.audit.AuditEvent;
import io.mandate.eventing.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Appends events to their tenant's hash chain: record {@code n} stores {@code prev_hash} (record
 * {@code n-1}'s hash, 32 zero bytes for the first) and {@code hash = SHA-256(prev_hash ||
 * CanonicalJson(event))}. The chain's head row is locked while a record is appended, so replicas
 * appending to the same chain take turns and the chain never forks.
 */
@ApplicationScoped
public class HashChain {

    /** The chain of events that belong to no tenant. */
    public static final String PLATFORM = "_platform";
    static final byte[] GENESIS = new byte[32];
    private static final Set<String> FAILURES = Set.of("refresh_token.reuse_detected", "webhook.delivery_exhausted");

    private final EntityManager em;
    private final ObjectMapper mapper;

    HashChain(EntityManager em, ObjectMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    public static String chainOf(String tenantId) {
        return tenantId == null ? PLATFORM : tenantId;
    }

    /** {@code failure} for the events that report one, {@code success} for every other. */
    public static String outcomeOf(String type) {
        return type.endsWith("_failed") || FAILURES.contains(type) ? "failure" : "success";
    }

    /** SHA-256 of {@code prev || canonical}. */
    public static byte[] hash(byte[] prev, byte[] canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prev);
            return sha256.digest(canonical);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Appends the event in the caller's transaction; the record as stored, or empty for a second copy
     * of an id already recorded.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Optional<AuditEvent> append(CloudEvent event, String agentId) {
        String json = json(event);
        String chain = chainOf(event.tenantid());
        List<Object[]> head = lockHead(chain);
        if (head.isEmpty()) {
            em.createNativeQuery("insert into audit_chain_head (chain, seq, hash) values (?1, 0, ?2) on conflict do nothing")
                    .setParameter(1, chain).setParameter(2, GENESIS).executeUpdate();
            head = lockHead(chain);
        }
        long seq = ((Number) head.get(0)[0]).longValue() + 1;
        byte[] prev = (byte[]) head.get(0)[1];
        byte[] hash = hash(prev, CanonicalJson.of(json));
        int inserted = em.createNativeQuery("""
                insert into audit_event (id, tenant_id, type, source, subject, agent_id, actor_type, actor_id, time, event,
                    chain, chain_seq, prev_hash, hash, outcome, delegation_id)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, cast(?10 as jsonb), ?11, ?12, ?13, ?14, ?15, ?16)
                on conflict (id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, event.tenantid()).setParameter(3, event.type())
                .setParameter(4, event.source()).setParameter(5, event.subject()).setParameter(6, agentId)
                .setParameter(7, event.authtype()).setParameter(8, event.authid())
                .setParameter(9, time(event)).setParameter(10, json)
                .setParameter(11, chain).setParameter(12, seq).setParameter(13, prev).setParameter(14, hash)
                .setParameter(15, outcomeOf(event.type())).setParameter(16, event.dataText("delegation_id"))
                .executeUpdate();
        if (inserted == 0) {
            return Optional.empty();
        }
        em.createNativeQuery("update audit_chain_head set seq = ?2, hash = ?3 where chain = ?1")
                .setParameter(1, chain).setParameter(2, seq).setParameter(3, hash).executeUpdate();
        AuditEvent row = new AuditEvent();
        row.id = event.id();
        row.tenantId = event.tenantid();
        row.type = event.type();
        row.source = event.source();
        row.subject = event.subject();
        row.agentId = agentId;
        row.actorType = event.authtype();
        row.actorId = event.authid();
        row.time = time(event).toInstant();
        row.recordedAt = Instant.now();
        row.chain = chain;
        row.chainSeq = seq;
        row.prevHash = prev;
        row.hash = hash;
        row.outcome = outcomeOf(event.type());
        row.delegationId = event.dataText("delegation_id");
        row.event = json;
        return Optional.of(row);
    }

    private static OffsetDateTime time(CloudEvent event) {
        try {
            return OffsetDateTime.parse(event.time());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("event " + event.id() + " has no RFC 3339 time");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> lockHead(String chain) {
        return em.createNativeQuery("select seq, hash from audit_chain_head where chain = ?1 for update")
                .setParameter(1, chain).getResultList();
    }

    /** The event as stored: the CloudEvent as this service parsed it (attributes it does not know are dropped). */
    private String json(CloudEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }
}
