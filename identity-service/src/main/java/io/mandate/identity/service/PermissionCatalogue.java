package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.PermissionEntry;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.permissions.BadPermissionException;
import io.mandate.permissions.Permission;
import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's permission catalogue. Without entries every well-formed permission is allowed; with
 * entries, an exact permission must be one of them and a wildcard must cover at least one.
 */
@ApplicationScoped
public class PermissionCatalogue {

    private static final String SELECT = "select tenant_id, permission, description, created_at from permission_entry";

    private final Sql sql;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;

    PermissionCatalogue(Sql sql, IdempotencyKeys idempotencyKeys, IdentityEvents events) {
        this.sql = sql;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
    }

    public List<PermissionEntry> list(String tenantId) {
        return sql.list(SELECT + " where tenant_id = ?1 order by permission", PermissionCatalogue::entry, tenantId);
    }

    private static PermissionEntry entry(Row row) throws SQLException {
        PermissionEntry entry = new PermissionEntry();
        entry.key = new PermissionEntry.Key(row.string("tenant_id"), row.string("permission"));
        entry.description = row.string("description");
        entry.createdAt = row.instant("created_at");
        return entry;
    }

    private Optional<PermissionEntry> find(PermissionEntry.Key key) {
        return sql.first(SELECT + " where tenant_id = ?1 and permission = ?2", PermissionCatalogue::entry,
                key.tenantId(), key.permission());
    }

    /**
     * Adds {@code permission} to the tenant's catalogue. With an {@code idempotencyKey}, a repeat
     * returns the entry the first call added (instead of a 409).
     */
    @Transactional
    public IdempotencyKeys.Outcome<PermissionEntry> add(String tenantId, String permission, String description,
            String idempotencyKey, Actor actor) {
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
                + description, key.permission(), earlier -> entry(tenantId, earlier), () -> insert(key, description, actor));
    }

    private PermissionEntry entry(String tenantId, String permission) {
        return find(new PermissionEntry.Key(tenantId, permission)).orElseThrow(
                () -> ProblemException.notFound("permission_not_found", permission + " is no longer in the catalogue"));
    }

    private PermissionEntry insert(PermissionEntry.Key key, String description, Actor actor) {
        if (find(key).isPresent()) {
            throw new ProblemException(409, "permission_exists", "Conflict",
                    key.permission() + " is already in the catalogue", List.of(new Problem.FieldError("permission", "already in the catalogue")));
        }
        PermissionEntry entry = new PermissionEntry();
        entry.key = key;
        entry.description = description;
        entry.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.update("insert into permission_entry (tenant_id, permission, description, created_at) values (?1, ?2, ?3, ?4)",
                key.tenantId(), key.permission(), description, entry.createdAt);
        events.permissionChanged(IdentityEvents.PERMISSION_ADDED, key.tenantId(), key.permission(), description, actor);
        return entry;
    }

    @Transactional
    public void remove(String tenantId, String permission, Actor actor) {
        if (sql.update("delete from permission_entry where tenant_id = ?1 and permission = ?2", tenantId, permission) == 0) {
            throw ProblemException.notFound("permission_not_found", permission + " is not in the catalogue");
        }
        events.permissionChanged(IdentityEvents.PERMISSION_REMOVED, tenantId, permission, null, actor);
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
