package io.mandate.webhook.service;

import java.util.List;

/** The public event types of SPEC §2 an endpoint may subscribe to ({@code *} for all). */
public final class EventTypes {

    public static final List<String> ALL = List.of(
            "agent.registered", "agent.updated", "agent.permissions_changed", "agent.tier_changed", "agent.suspended",
            "agent.reactivated", "agent.revoked", "agent.credential_added", "agent.credential_revoked",
            "human.registered", "human.updated", "human.disabled", "tenant.created",
            "agent.verified", "agent.verification_failed", "token.refreshed", "token.revoked", "token.exchanged",
            "refresh_token.reuse_detected", "signing_key.rotated", "human.logged_in",
            "delegation.requested", "delegation.approved", "delegation.denied", "delegation.granted",
            "delegation.revoked", "delegation.expired",
            "webhook.endpoint_created", "webhook.endpoint_disabled", "webhook.secret_rotated",
            "webhook.delivery_exhausted");

    private EventTypes() {
    }
}
