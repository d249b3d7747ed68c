package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.identity.PermissionEntry;
import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A tenant's permission catalogue. Without entries every well-formed permission is allowed; with
 * entries, an exact permission must be one of them and a wildcard must cover at least one.
 */
@ApplicationScoped
public class PermissionCatalogue {

    private final EntityManager em;
    private final IdempotencyKeys idempotencyKeys;

    PermissionCatalogue(EntityManager em, IdempotencyKeys idempotencyKeys) {
        this.em = em;
        this.idempotencyKeys = idempotencyKeys;
    }

    public List<PermissionEntry> list(String tenantId) {
        return em.createQuery("from PermissionEntry where key.tenantId = ?1 order by key.permission", PermissionEntry.class)
                .setParameter(1, tenantId).getResultList();
    }

    /**
     * Adds {@code permission} to the tenant's catalogue. With an {@code idempotencyKey}, a repeat
     * returns the entry the first call added (instead of a 409).
     */
    @Transactional
    public IdempotencyKeys.Outcome<PermissionEntry> add(String tenantId, String permission, String description,
            String idempotencyKey) {
        Permission parsed;
        try {
            parsed = Permission.parse(permission);
        } catch (BadPermissionException e) {
            throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                    List.of(new Problem.FieldError("permission", e.getMessage())));
        }
        if (parsed.toString().contains("*")) {
            throw new ProblemException(400, "permission_invalid", "Bad Request",
                    "catalogue entries name one permission; wildcards belong to grants",
                    List.of(new Problem.FieldError("permission", "no wildcards in the catalogue")));
        }
        PermissionEntry.Key key = new PermissionEntry.Key(tenantId, parsed.toString());
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/permissions " + key.permission() + " "
                + description, key.permission(), earlier -> entry(tenantId, earlier), () -> insert(key, description));
    }

    private PermissionEntry entry(String tenantId, String permission) {
        PermissionEntry entry = em.find(PermissionEntry.class, new PermissionEntry.Key(tenantId, permission));
        if (entry == null) {
            throw ProblemException.notFound("permission_not_found", permission + " is no longer in the catalogue");
        }
        return entry;
    }

    private PermissionEntry insert(PermissionEntry.Key key, String description) {
        if (em.find(PermissionEntry.class, key) != null) {
            throw new ProblemException(409, "permission_exists", "Conflict",
                    key.permission() + " is already in the catalogue", List.of(new Problem.FieldError("permission", "already in the catalogue")));
        }
        PermissionEntry entry = new PermissionEntry();
        entry.key = key;
        entry.description = description;
        entry.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.persist(entry);
        return entry;
    }

    @Transactional
    public void remove(String tenantId, String permission) {
        PermissionEntry entry = em.find(PermissionEntry.class, new PermissionEntry.Key(tenantId, permission));
        if (entry == null) {
            throw ProblemException.notFound("permission_not_found", permission + " is not in the catalogue");
        }
        em.remove(entry);
    }

    /** Refuses (400 {@code permission_unknown}) the entries the tenant's catalogue does not know, listing them. */
    public void requireKnown(String tenantId, List<String> permissions) {
        List<Permission> known = list(tenantId).stream().map(e -> Permission.parse(e.key.permission())).toList();
        if (known.isEmpty()) {
            return;
        }
        List<String> unknown = permissions.stream().filter(p -> {
            Permission requested = Permission.parse(p);
            return known.stream().noneMatch(requested::covers);
        }).toList();
        if (!unknown.isEmpty()) {
            throw new ProblemException(400, "permission_unknown", "Bad Request",
                    "not in the tenant's permission catalogue: " + String.join(", ", unknown),
                    unknown.stream().map(p -> new Problem.FieldError("permissions", p + " is not in the catalogue")).toList());
        }
    }
}
