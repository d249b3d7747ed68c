package io.mandate.audit.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;

/** Who reads a tenant's audit data: its auditors and tenant admins (and the platform admin). */
final class AuditReaders {

    private AuditReaders() {
    }

    static void require(Caller who) {
        if (!who.isTenantAdmin() && !who.has(Caller.AUDITOR)) {
            throw ProblemException.forbidden("forbidden", "only auditors and tenant admins read the audit trail");
        }
    }
}
