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

    /** Event types to deliver: exact names, prefixes ({@code agent.*}) or {@code *} for all. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> events;

    public String description;

    public byte[] secret;

    /** The secret before the last rotation: it signs beside the new one until it expires. */
    @Column(name = "previous_secret")
    public byte[] previousSecret;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    public boolean active;

    /** Since when every attempt failed; null after a success. */
    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** {@code *} matches everything, {@code agent.*} every type starting with {@code agent.}, else exact. */
    public static boolean matches(String pattern, String eventType) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return eventType.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(eventType);
    }
}
