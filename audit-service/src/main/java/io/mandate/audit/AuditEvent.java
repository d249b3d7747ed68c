package io.mandate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/** One event of the audit trail, exactly as it went over Kafka: a row of {@code audit_event}, never updated. */
public class AuditEvent {

    public long seq;

    public String id;

    public String tenantId;

    public String type;

    public String source;

    public String subject;

    public String agentId;

    public String actorType;

    public String actorId;

    public Instant time;

    public Instant recordedAt;

    /** The hash chain (the tenant id, or {@code _platform}) and this record's place in it. */
    public String chain;

    public Long chainSeq;

    public byte[] prevHash;

    public byte[] hash;

    /** {@code success} or {@code failure}. */
    public String outcome;

    public String delegationId;

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
