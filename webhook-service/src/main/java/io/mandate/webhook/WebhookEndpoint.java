package io.mandate.webhook;

import java.time.Instant;
import java.util.List;

/**
 * Where an integrator wants events, and the secret their signatures are made with (sealed). A row of
 * {@code webhook_endpoint}; a change is stored by {@code WebhookEndpointRepository.save}.
 */
public class WebhookEndpoint {

    public String id;

    public String tenantId;

    public String url;

    /** Event types to deliver: exact names, prefixes ({@code agent.*}) or {@code *} for all. */
    public List<String> events;

    public String description;

    public byte[] secret;

    /** The secret before the last rotation: it signs beside the new one until it expires. */
    public byte[] previousSecret;

    public Instant previousSecretExpiresAt;

    public boolean active;

    /** Since when every attempt failed; null after a success. */
    public Instant failingSince;

    public Instant createdAt;

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
