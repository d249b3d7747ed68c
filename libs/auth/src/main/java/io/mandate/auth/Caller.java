package io.mandate.auth;

import io.mandate.eventing.envelope.Actor;
import java.util.Set;

/**
 * Who is calling, after authentication: the bootstrap platform admin, a human (from token-service
 * or the enterprise IdP, mapped to a Mandate account), an agent, or token-service itself acting for a
 * tenant (registering the clients that identify themselves by a metadata document). {@code tenantId} is
 * the caller's own tenant; the platform admin has none and names one per request.
 */
public record Caller(Kind kind, String id, String tenantId, Set<String> roles, String email) {

    public enum Kind { PLATFORM_ADMIN, HUMAN, AGENT, SERVICE }

    public static final String PLATFORM_ADMIN = "platform_admin";
    public static final String TENANT_ADMIN = "tenant_admin";
    public static final String AUDITOR = "auditor";
    public static final String OWNER = "owner";
    public static final String AGENT = "agent";
    /** token-service, registering a client that registered itself (a metadata document, RFC 7591). */
    public static final String CLIENT_REGISTRAR = "client_registrar";
    /** token-service, registering an agent that proved its own OpenPGP key (self-onboarding). */
    public static final String AGENT_REGISTRAR = "agent_registrar";
    /** token-service, registering a person who signed up on its page (an invitation, or open sign-up). */
    public static final String PERSON_REGISTRAR = "person_registrar";
    /** The subject of token-service's own tokens for the other services. */
    public static final String TOKEN_SERVICE = "svc_token-service";

    /** The roles a human account may hold; platform_admin is only the bootstrap credential. */
    public static final Set<String> HUMAN_ROLES = Set.of(TENANT_ADMIN, AUDITOR, OWNER);

    public Caller {
        roles = Set.copyOf(roles);
    }

    public static Caller platformAdmin() {
        return new Caller(Kind.PLATFORM_ADMIN, "bootstrap-admin", null, Set.of(PLATFORM_ADMIN), null);
    }

    public boolean isPlatformAdmin() {
        return kind == Kind.PLATFORM_ADMIN;
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** The CloudEvents {@code authtype} of what this caller causes: {@code agent}, {@code human} or {@code system}. */
    public String actorType() {
        return isAgent() ? "agent" : kind == Kind.SERVICE ? "system" : "human";
    }

    /** This caller as the actor of the events its requests cause. */
    public Actor actor() {
        return new Actor(actorType(), id);
    }

    /** Administers its tenant: the platform admin, or a human holding {@code tenant_admin}. */
    public boolean isTenantAdmin() {
        return isPlatformAdmin() || (kind == Kind.HUMAN && has(TENANT_ADMIN));
    }
}
