package io.mandate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One event of the audit trail, exactly as it went over Kafka. Never updated. */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    public long seq;

    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String type;

    public String source;

    public String subject;

    @Column(name = "agent_id")
    public String agentId;

    @Column(name = "actor_type")
    public String actorType;

    @Column(name = "actor_id")
    public String actorId;

    public Instant time;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** The hash chain (the tenant id, or {@code _platform}) and this record's place in it. */
    public String chain;

    @Column(name = "chain_seq")
    public Long chainSeq;

    @Column(name = "prev_hash")
    public byte[] prevHash;

    public byte[] hash;

    /** {@code success} or {@code failure}. */
    public String outcome;

    @Column(name = "delegation_id")
    public String delegationId;

    @JdbcTypeCode(SqlTypes.JSON)
    public String event;

    /** The stored CloudEvent as a JSON tree. */
    public JsonNode eventJson(ObjectMapper mapper) {
        try {
            return mapper.readTree(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event " + id + " is not JSON", e);
        }
    }
}
