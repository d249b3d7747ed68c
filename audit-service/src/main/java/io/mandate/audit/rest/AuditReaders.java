package io.mandate.audit.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Who reads a tenant's audit data (its auditors and tenant admins, and the platform admin), and shared parameter checks. */
final class AuditReaders {

    private AuditReaders() {
    }

    /** An RFC 3339 date-time with offset ({@code 2026-11-22T10:00:00Z}), or null. */
    static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "an RFC 3339 date-time such as 2026-11-22T10:00:00Z");
        }
    }

    static void require(Caller who) {
        if (!who.isTenantAdmin() && !who.has(Caller.AUDITOR)) {
            throw ProblemException.forbidden("forbidden", "only auditors and tenant admins read the audit trail");
        }
    }
}
