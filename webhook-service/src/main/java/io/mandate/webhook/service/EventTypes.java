package io.mandate.webhook.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The public event types (docs/events.md) an endpoint may subscribe to (by name, by prefix such as
 * {@code agent.*}, or {@code *}), each with a line on what it means and an example of its
 * {@code data}. Every {@code data} also carries {@code tenant_id}.
 */
public final class EventTypes {

    /** One catalogue entry, as {@code GET /v1/webhooks/event-types} lists it. */
    public record EventType(String type, String description, Map<String, Object> example) {
    }

    private static final Map<String, Object> AGENT = Map.of("id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "name", "crm-bot",
            "owner_email", "alice@example.com", "permissions", List.of("crm:contacts:read"), "tier", "pro",
            "status", "active", "trust_level", 2, "version", 3);
    private static final Map<String, Object> HUMAN = Map.of("id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w",
            "username", "alice", "email", "alice@example.com", "roles", List.of("owner"), "status", "active",
            "version", 1);
    private static final Map<String, Object> RESOURCE = Map.of("id", "res_01jd8x9k2m3n4p5q6r7s8t9v0w",
            "uri", "https://mcp.example.com/mcp", "name", "Files MCP server",
            "scopes", List.of(Map.of("scope", "files:read", "description", "Read your files", "implies", List.of())),
            "access_token_lifetime", 300, "dpop_required", false, "metadata_hosted", true, "version", 1);

    public static final List<EventType> CATALOGUE = List.of(
            agent("agent.registered", "An agent was registered (no credential in the payload)."),
            agent("agent.updated", "An agent's name, description, metadata or trust level changed."),
            agent("agent.permissions_changed", "An agent's permissions were replaced."),
            agent("agent.tier_changed", "An agent moved to another tier (free, pro, enterprise)."),
            agent("agent.suspended", "An agent was suspended: its token requests are refused until reactivated."),
            agent("agent.reactivated", "A suspended agent may get tokens again."),
            agent("agent.revoked", "An agent was revoked for good."),
            entry("agent.credential_added", "A credential was added to an agent (which one, never what it is).",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "credential_id", "cred_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "kind", "api_key", "prefix", "mnd_sk_s6fj45bmxvnv0ra2", "status", "active")),
            entry("agent.credential_revoked", "A credential of an agent stopped working.",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "credential_id", "cred_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "kind", "api_key", "status", "revoked")),
            human("human.registered", "A human account was created."),
            human("human.updated", "A human account's email, roles, permissions or IdP link changed."),
            human("human.disabled", "A human account was disabled: no login, its tokens refused."),
            entry("permission.added", "A permission was added to the tenant's catalogue, with its description and what it implies.",
                    Map.of("permission", "files:write", "description", "Change your files", "implies", List.of("files:read"))),
            entry("permission.updated", "A catalogue entry's description or implied permissions changed.",
                    Map.of("permission", "files:write", "description", "Change your files", "implies", List.of())),
            entry("permission.removed", "A permission was removed from the tenant's catalogue.",
                    Map.of("permission", "crm:contacts:read")),
            resource("resource.registered", "A protected resource (an API, an MCP server) was registered."),
            resource("resource.updated", "A protected resource's URI, scopes, token lifetime or binding changed."),
            resource("resource.removed", "A protected resource was removed: no new token names it."),
            invitation("invitation.created", "A tenant admin made an invitation link (never the link itself)."),
            invitation("invitation.accepted", "Someone signed up with an invitation link."),
            invitation("invitation.revoked", "A tenant admin revoked an invitation link before it was used."),
            entry("tenant.created", "A tenant was created.",
                    Map.of("tenant", Map.of("id", "ten_01jd8x9k2m3n4p5q6r7s8t9v0w", "name", "acme"))),
            entry("agent.verified", "An agent authenticated and got a token.",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "grant_type", "client_credentials",
                            "client_auth_method", "client_secret_basic", "jti", "5f0c2b9e-8c1d-4d5e-9a7b-3c2d1e0f9a8b",
                            "scopes", List.of("crm:contacts:read"), "ip", "203.0.113.7", "user_agent", "langchain/0.3")),
            entry("agent.verification_failed", "An agent's authentication was refused (never the presented secret).",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "grant_type", "client_credentials",
                            "reason", "secret_mismatch", "ip", "203.0.113.7")),
            entry("token.refreshed", "A refresh token was used and rotated.",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "jti", "5f0c2b9e-8c1d-4d5e-9a7b-3c2d1e0f9a8b")),
            entry("token.revoked", "An access token was revoked before its expiry.",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "jti", "5f0c2b9e-8c1d-4d5e-9a7b-3c2d1e0f9a8b",
                            "expires_at", "2026-11-22T10:15:00Z")),
            entry("token.exchanged", "A token acting for a person was minted: token exchange (RFC 8693), an "
                    + "authorization code or CIBA (grant_type says which).",
                    Map.of("delegation_id", "dlg_01jd8x9k2m3n4p5q6r7s8t9v0w", "chain",
                            List.of("usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w"),
                            "scopes", List.of("crm:contacts:read"))),
            entry("refresh_token.reuse_detected", "A rotated refresh token was presented again; its family is revoked.",
                    Map.of("agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w", "family_id", "rtf_01jd8x9k2m3n4p5q6r7s8t9v0w")),
            entry("signing_key.rotated", "token-service started signing with a new key.",
                    Map.of("kid", "k-2026-11-22", "algorithm", "ES256")),
            entry("human.logged_in", "A human signed in at token-service (channel api: a token; browser: the pages).",
                    Map.of("user_id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "jti", "5f0c2b9e-8c1d-4d5e-9a7b-3c2d1e0f9a8b",
                            "ip", "203.0.113.7", "channel", "api")),
            entry("human.login_failed", "A sign-in was refused (never what was typed as the password).",
                    Map.of("user_id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "reason", "wrong_password", "ip", "203.0.113.7",
                            "channel", "browser")),
            entry("consent.granted", "A person consented in the browser: the delegation grant it made.",
                    Map.of("user_id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "client_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "delegation_id", "dlg_01jd8x9k2m3n4p5q6r7s8t9v0w", "scopes", List.of("crm:contacts:read"),
                            "offline_access", true, "resources", List.of("mandate"), "expires_at", "2026-12-06T10:15:00Z",
                            "remembered", true)),
            entry("consent.revoked", "Remembered consent ended because its grant was revoked.",
                    Map.of("user_id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "client_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "delegation_id", "dlg_01jd8x9k2m3n4p5q6r7s8t9v0w", "reason", "revoked by human")),
            delegation("delegation.requested", "An agent asked a human for authority."),
            delegation("delegation.approved", "A human approved an agent's request."),
            delegation("delegation.denied", "A human denied an agent's request."),
            delegation("delegation.granted", "A human (or an agent, down a chain) granted authority."),
            entry("delegation.revoked", "A grant was revoked, with every grant below it.",
                    Map.of("delegation_ids", List.of("dlg_01jd8x9k2m3n4p5q6r7s8t9v0w", "dlg_01jd8x9k2m3n4p5q6r7s8t9v1x"),
                            "reason", "revoked by its grantor")),
            delegation("delegation.expired", "A grant reached its expiry."),
            entry("webhook.endpoint_created", "A webhook endpoint was created.",
                    Map.of("endpoint_id", "whk_01jd8x9k2m3n4p5q6r7s8t9v0w", "url", "https://hooks.example.com/mandate",
                            "events", List.of("agent.*"))),
            entry("webhook.endpoint_disabled", "Deliveries to an endpoint stopped (410, 5 days of failure, or by hand).",
                    Map.of("endpoint_id", "whk_01jd8x9k2m3n4p5q6r7s8t9v0w", "reason", "the receiver answered 410 Gone")),
            entry("webhook.secret_rotated", "An endpoint's secret was rotated; the old one signs until the time given.",
                    Map.of("endpoint_id", "whk_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "previous_secret_valid_until", "2026-11-23T10:00:00Z")),
            entry("webhook.delivery_exhausted", "A message failed every attempt of the retry schedule.",
                    Map.of("endpoint_id", "whk_01jd8x9k2m3n4p5q6r7s8t9v0w", "message_id", "msg_01jd8x9k2m3n4p5q6r7s8t9v0w",
                            "event_type", "agent.verified", "attempts", 8)));

    /** The names alone. */
    public static final List<String> ALL = CATALOGUE.stream().map(EventType::type).toList();

    private EventTypes() {
    }

    private static EventType entry(String type, String description, Map<String, Object> data) {
        Map<String, Object> withTenant = new LinkedHashMap<>();
        withTenant.put("tenant_id", "ten_01jd8x9k2m3n4p5q6r7s8t9v0w");
        withTenant.putAll(data);
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", type);
        example.put("timestamp", "2026-11-22T10:00:00Z");
        example.put("data", withTenant);
        return new EventType(type, description, example);
    }

    private static EventType agent(String type, String description) {
        return entry(type, description, Map.of("agent_id", AGENT.get("id"), "agent", AGENT));
    }

    private static EventType human(String type, String description) {
        return entry(type, description, Map.of("user_id", HUMAN.get("id"), "human", HUMAN));
    }

    private static EventType resource(String type, String description) {
        return entry(type, description, Map.of("resource_id", RESOURCE.get("id"), "resource", RESOURCE));
    }

    private static EventType invitation(String type, String description) {
        return entry(type, description, Map.of("invitation_id", "inv_01jd8x9k2m3n4p5q6r7s8t9v0w",
                "email", "bob@example.com", "roles", List.of("owner"), "permissions", List.of("crm:contacts:read"),
                "expires_at", "2026-11-29T10:00:00Z"));
    }

    private static EventType delegation(String type, String description) {
        return entry(type, description, Map.of("delegation_id", "dlg_01jd8x9k2m3n4p5q6r7s8t9v0w",
                "user_id", "usr_01jd8x9k2m3n4p5q6r7s8t9v0w", "agent_id", "agt_01jd8x9k2m3n4p5q6r7s8t9v0w",
                "scopes", List.of("crm:contacts:read"), "expires_at", "2026-11-23T10:00:00Z"));
    }
}
