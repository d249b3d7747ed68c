package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.PermissionEntry;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.permissions.BadScopeException;
import io.mandate.permissions.Scope;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.sql.Row;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's permission catalogue. Without entries every well-formed permission is allowed; with
 * entries, an exact permission must be one of them and a wildcard must cover at least one. An entry
 * may imply others ({@code files:write} implies {@code files:read}), for every subset check.
 */
@ApplicationScoped
public class PermissionCatalogue {

    private static final String SELECT = "select tenant_id, permission, description, implies, created_at, updated_at from permission_entry";
    private static final int MAX_IMPLIED = 100;

    private final Sql sql;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;
    private final ProtectedResources resources;

    PermissionCatalogue(Sql sql, IdempotencyKeys idempotencyKeys, IdentityEvents events, ProtectedResources resources) {
        this.resources = resources;
        this.sql = sql;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
    }

    public List<PermissionEntry> list(String tenantId) {
        return sql.list(SELECT + " where tenant_id = ?1 order by permission", PermissionCatalogue::entry, tenantId);
    }

    /**
     * The catalogue as the matcher reads it: which permissions exist and what each implies. The scopes
     * of the tenant's registered resources exist too when the tenant lists its permissions, and imply
     * what they say.
     */
    public ScopeCatalogue scopes(String tenantId) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        list(tenantId).forEach(entry -> entries.put(entry.key.permission(), entry.implies));
        return ScopeCatalogue.of(entries).and(ScopeCatalogue.implications(resources.scopes(tenantId)));
    }

    private static PermissionEntry entry(Row row) throws SQLException {
        PermissionEntry entry = new PermissionEntry();
        entry.key = new PermissionEntry.Key(row.string("tenant_id"), row.string("permission"));
        entry.description = row.string("description");
        entry.implies = row.strings("implies");
        entry.createdAt = row.instant("created_at");
        entry.updatedAt = row.instant("updated_at");
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
            List<String> implies, String idempotencyKey, Actor actor) {
        String checked = checkedEntry(permission);
        List<String> implied = checkedImplies(tenantId, checked, implies);
        PermissionEntry.Key key = new PermissionEntry.Key(tenantId, checked);
        return idempotencyKeys.once(tenantId, idempotencyKey, "POST /v1/permissions " + key.permission() + " "
                + description + " " + implied, key.permission(), earlier -> entry(tenantId, earlier),
                () -> insert(key, description, implied, actor));
    }

    /** Replaces what an entry says and implies; what it no longer implies is no longer held through it. */
    @Transactional
    public PermissionEntry update(String tenantId, String permission, String description, List<String> implies,
            Actor actor) {
        PermissionEntry entry = entry(tenantId, permission);
        entry.description = description;
        entry.implies = checkedImplies(tenantId, permission, implies);
        entry.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.update("update permission_entry set description = ?3, implies = ?4, updated_at = ?5 where tenant_id = ?1 and permission = ?2",
                tenantId, permission, description, entry.implies, entry.updatedAt);
        events.permissionChanged(IdentityEvents.PERMISSION_UPDATED, tenantId, permission, description, entry.implies,
                actor);
        return entry;
    }

    private static String checkedEntry(String permission) {
        Scope parsed = parsed("permission", permission);
        if (parsed.wildcard()) {
            throw new ProblemException(400, "permission_invalid", "Bad Request",
                    "catalogue entries name one permission; wildcards belong to grants",
                    List.of(new Problem.FieldError("permission", "no wildcards in the catalogue")));
        }
        return parsed.value();
    }

    /** Well-formed, not the entry itself, and known to the catalogue (an entry, or a wildcard covering one). */
    private List<String> checkedImplies(String tenantId, String permission, List<String> implies) {
        if (implies == null) {
            return List.of();
        }
        if (implies.size() > MAX_IMPLIED) {
            throw ProblemException.invalid("implies", "at most " + MAX_IMPLIED + " implied permissions");
        }
        List<String> checked = List.copyOf(new LinkedHashSet<>(implies.stream().map(p -> parsed("implies", p).value()).toList()));
        if (checked.contains(permission)) {
            throw ProblemException.invalid("implies", "an entry need not imply itself");
        }
        requireKnown(tenantId, checked, "implies");
        return checked;
    }

    private static Scope parsed(String field, String permission) {
        try {
            return Scope.parse(permission);
        } catch (BadScopeException e) {
            throw new ProblemException(400, "permission_invalid", "Bad Request", e.getMessage(),
                    List.of(new Problem.FieldError(field, e.getMessage())));
        }
    }

    private PermissionEntry entry(String tenantId, String permission) {
        return find(new PermissionEntry.Key(tenantId, permission)).orElseThrow(
                () -> ProblemException.notFound("permission_not_found", permission + " is not in the catalogue"));
    }

    private PermissionEntry insert(PermissionEntry.Key key, String description, List<String> implies, Actor actor) {
        if (find(key).isPresent()) {
            throw new ProblemException(409, "permission_exists", "Conflict",
                    key.permission() + " is already in the catalogue", List.of(new Problem.FieldError("permission", "already in the catalogue")));
        }
        PermissionEntry entry = new PermissionEntry();
        entry.key = key;
        entry.description = description;
        entry.implies = implies;
        entry.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        sql.update("insert into permission_entry (tenant_id, permission, description, implies, created_at) values (?1, ?2, ?3, ?4, ?5)",
                key.tenantId(), key.permission(), description, implies, entry.createdAt);
        events.permissionChanged(IdentityEvents.PERMISSION_ADDED, key.tenantId(), key.permission(), description, implies,
                actor);
        return entry;
    }

    @Transactional
    public void remove(String tenantId, String permission, Actor actor) {
        if (sql.update("delete from permission_entry where tenant_id = ?1 and permission = ?2", tenantId, permission) == 0) {
            throw ProblemException.notFound("permission_not_found", permission + " is not in the catalogue");
        }
        events.permissionChanged(IdentityEvents.PERMISSION_REMOVED, tenantId, permission, null, List.of(), actor);
    }

    /** Refuses (400 {@code permission_unknown}) the entries the tenant's catalogue does not know, listing them. */
    public void requireKnown(String tenantId, List<String> permissions) {
        requireKnown(tenantId, permissions, "permissions");
    }

    private void requireKnown(String tenantId, List<String> permissions, String field) {
        List<String> unknown = scopes(tenantId).unknown(permissions);
        if (!unknown.isEmpty()) {
            throw new ProblemException(400, "permission_unknown", "Bad Request",
                    "not in the tenant's permission catalogue: " + String.join(", ", unknown),
                    unknown.stream().map(p -> new Problem.FieldError(field, p + " is not in the catalogue")).toList());
        }
    }
}
