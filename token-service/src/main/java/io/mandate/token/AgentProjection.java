package io.mandate.token;

import java.time.Instant;
import java.util.List;

/** What token-service knows of an agent, kept from identity-service's events. */
public class AgentProjection {

    public String agentId;

    public String tenantId;

    public String status;

    public List<String> permissions;

    public String tier;

    public short trustLevel;

    public long version;

    public Instant updatedAt;

    /** Its display name, or null for an agent last heard of before names were projected. */
    public String name;

    public String ownerEmail;

    /** {@code agent} or {@code app} when the agent is an OAuth client for the browser flows; else null. */
    public String clientType;

    /** The redirect URIs it registered (empty when it is no such client). */
    public List<String> redirectUris;

    public String logoUri;

    /** How it authenticates at the token endpoint; {@code none} for a public client. */
    public String clientAuthMethod;

    /** The URL of the Client ID Metadata Document it identifies itself by (its OAuth {@code client_id}), or null. */
    public String clientIdUrl;

    /** Its metadata object as JSON text: keys a claim profile names become claims. */
    public String metadata;

    /** How a client that registered itself did ({@code metadata_document}, {@code dynamic}); null otherwise. */
    public String clientRegistration;

    public boolean isActive() {
        return "active".equals(status);
    }

    /** A client that registered itself: it holds {@code *} only to receive what people consent to. */
    public boolean isSelfRegistered() {
        return clientRegistration != null;
    }

    /** A public client (RFC 6749 §2.1): it holds no credential, PKCE alone proves it. */
    public boolean isPublicClient() {
        return "none".equals(clientAuthMethod);
    }
}
