package io.mandate.audit.rest;

import io.mandate.api.ProblemException;
import io.mandate.audit.chain.Retention;
import io.mandate.audit.service.AuditAccess;
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
    private final AuditAccess access;

    AuditRetentionResource(Retention retention, AuditAccess access) {
        this.retention = retention;
        this.access = access;
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
        String tenantId = access.readableTenant();
        return new RetentionView(tenantId, retention.days(tenantId).orElse(null));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public RetentionView set(RetentionChange change) {
        String tenantId = access.administeredTenant();
        if (change == null || change.days() == null || change.days() < 1 || change.days() > 36_500) {
            throw ProblemException.invalid("days", "a whole number of days from 1 to 36500");
        }
        retention.setDays(tenantId, change.days());
        return new RetentionView(tenantId, change.days());
    }

    @POST
    @Path("/purge")
    public PurgeResult purge() {
        String tenantId = access.administeredTenant();
        return new PurgeResult(retention.days(tenantId).map(days -> retention.purge(tenantId, days)).orElse(0L));
    }
}
