package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Tenant;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Creates tenants (the platform admin's job) and publishes {@code tenant.created}. */
@ApplicationScoped
public class Tenants {

    /** Idempotency keys of platform-level creations are kept under this pseudo-tenant. */
    private static final String PLATFORM = "platform";

    private final TenantRepository tenants;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;

    Tenants(TenantRepository tenants, IdempotencyKeys idempotencyKeys, IdentityEvents events) {
        this.tenants = tenants;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
    }

    public record Creation(Tenant tenant, boolean replayed) {
    }

    @Transactional
    public Creation create(String name, String idempotencyKey, Actor actor) {
        String id = TypeIds.newId("ten");
        return idempotencyKeys.once(PLATFORM, idempotencyKey, "tenant:" + name, id,
                earlier -> new Creation(find(earlier), true), () -> new Creation(newTenant(id, name, actor), false))
                .value();
    }

    private Tenant newTenant(String id, String name, Actor actor) {
        String trimmed = name.strip();
        if (tenants.nameTaken(trimmed)) {
            throw new ProblemException(409, "tenant_name_taken", "Conflict", "a tenant with this name exists",
                    List.of(new Problem.FieldError("name", "already taken")));
        }
        Tenant tenant = new Tenant();
        tenant.id = id;
        tenant.name = trimmed;
        tenant.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tenants.insert(tenant);
        events.tenantCreated(tenant, actor);
        return tenant;
    }

    public Tenant find(String id) {
        return tenants.find(id).orElseThrow(() -> notFound(id));
    }

    public static ProblemException notFound(String id) {
        return ProblemException.notFound("tenant_not_found", "no tenant " + id);
    }
}
