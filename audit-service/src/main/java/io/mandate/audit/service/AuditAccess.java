package io.mandate.audit.service;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may read and manage a tenant's audit data, and which tenant a request is about: the caller's,
 * or for the platform admin the one it names ({@link CurrentCaller#tenantId()}).
 */
@ApplicationScoped
public class AuditAccess {

    private final CurrentCaller caller;

    AuditAccess(CurrentCaller caller) {
        this.caller = caller;
    }

    /** The tenant the request is about. */
    public String tenant() {
        return caller.tenantId();
    }

    /** The tenant whose audit data the caller reads: its auditors and tenant admins only. */
    public String readableTenant() {
        Caller who = caller.get();
        if (!who.isTenantAdmin() && !who.has(Caller.AUDITOR)) {
            throw ProblemException.forbidden("forbidden", "only auditors and tenant admins read the audit trail");
        }
        return caller.tenantId();
    }

    /**
     * The agent whose activity is read: an agent reads only its own ({@code requested} null or its own
     * id), an auditor or tenant admin any of the tenant's, or all of them when {@code requested} is null.
     */
    public String agentReadBy(String requested) {
        Caller who = caller.get();
        if (!who.isAgent()) {
            readableTenant();
            return requested;
        }
        if (requested != null && !requested.equals(who.id())) {
            throw ProblemException.forbidden("forbidden", "an agent reads only its own activity");
        }
        return who.id();
    }

    /** The tenant whose audit settings the caller changes: tenant admins only. */
    public String administeredTenant() {
        if (!caller.get().isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only tenant admins change retention");
        }
        return caller.tenantId();
    }
}
