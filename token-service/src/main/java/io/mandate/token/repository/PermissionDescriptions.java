package io.mandate.token.repository;

import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The tenants' permission catalogues (from {@code permission.added} and {@code .removed}): permissions in words. */
@ApplicationScoped
public class PermissionDescriptions {

    private final Sql sql;

    PermissionDescriptions(Sql sql) {
        this.sql = sql;
    }

    public void describe(String tenantId, String permission, String description) {
        sql.update("""
                insert into permission_description (tenant_id, permission, description) values (?1, ?2, ?3)
                on conflict (tenant_id, permission) do update set description = excluded.description""",
                tenantId, permission, description);
    }

    public void forget(String tenantId, String permission) {
        sql.update("delete from permission_description where tenant_id = ?1 and permission = ?2", tenantId, permission);
    }

    /** The descriptions the tenant's catalogue gives {@code permissions} (those it has one for). */
    public Map<String, String> of(String tenantId, List<String> permissions) {
        Map<String, String> descriptions = new HashMap<>();
        sql.list("""
                select permission, description from permission_description
                where tenant_id = ?1 and permission = any(?2) and description is not null and description <> ''""",
                row -> descriptions.put(row.string("permission"), row.string("description")), tenantId, permissions);
        return descriptions;
    }
}
