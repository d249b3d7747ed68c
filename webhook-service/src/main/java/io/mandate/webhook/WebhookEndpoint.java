package io.mandate.webhook;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Where an integrator wants events, and the secret their signatures are made with (sealed). */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint {

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String url;

    /** Event types to deliver; {@code *} means all. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> events;

    public String description;

    public byte[] secret;

    public boolean active;

    @Column(name = "created_at")
    public Instant createdAt;

    public boolean wants(String eventType) {
        return active && (events.contains("*") || events.contains(eventType));
    }
}
