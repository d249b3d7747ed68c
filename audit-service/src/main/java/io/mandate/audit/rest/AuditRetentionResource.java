package io.mandate.audit.rest;

import io.mandate.api.ProblemException;
import io.mandate.audit.chain.Retention;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The tenant's retention period: auditors and tenant admins read it, tenant admins set it and may
 * purge at once (the scheduled purge runs every {@code purge-interval} anyway).
 */
@Path("/v1/audit/retention")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AuditRetentionResource {

    private final Retention retention;
    private final CurrentCaller caller;

    AuditRetentionResource(Retention retention, CurrentCaller caller) {
        this.retention = retention;
        this.caller = caller;
    }

    /** {@code days}: null while records are kept forever. */
    public record RetentionView(String tenantId, Integer days) {
    }

    public record RetentionChange(Integer days) {
    }

    public record PurgeResult(long purged) {
    }

    @GET
    public RetentionView get() {
        AuditReaders.require(caller.get());
        return new RetentionView(caller.tenantId(), retention.days(caller.tenantId()).orElse(null));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public RetentionView set(RetentionChange change) {
        requireAdmin();
        if (change == null || change.days() == null || change.days() < 1 || change.days() > 36_500) {
            throw ProblemException.invalid("days", "a whole number of days from 1 to 36500");
        }
        retention.setDays(caller.tenantId(), change.days());
        return new RetentionView(caller.tenantId(), change.days());
    }

    @POST
    @Path("/purge")
    public PurgeResult purge() {
        requireAdmin();
        return new PurgeResult(retention.days(caller.tenantId())
                .map(days -> retention.purge(caller.tenantId(), days)).orElse(0L));
    }

    private void requireAdmin() {
        Caller who = caller.get();
        if (!who.isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only tenant admins change retention");
        }
    }
}
