package io.mandate.delegation.repository;

import io.mandate.eventing.envelope.PermissionChange;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tenants' permission catalogues (from {@code permission.added}, {@code .updated} and {@code .removed}). */
@ApplicationScoped
public class ScopeCatalogueRepository {

    private final Sql sql;

    ScopeCatalogueRepository(Sql sql) {
        this.sql = sql;
    }

    /** Applies a catalogue change. */
    public void apply(PermissionChange change) {
        if (change.removed()) {
            sql.update("delete from scope_catalogue where tenant_id = ?1 and scope = ?2", change.tenantId(),
                    change.permission());
            return;
        }
        sql.update("""
                insert into scope_catalogue (tenant_id, scope, implies) values (?1, ?2, ?3)
                on conflict (tenant_id, scope) do update set implies = excluded.implies""",
                change.tenantId(), change.permission(), change.implies());
    }

    /** The tenant's catalogue for the matcher. */
    public ScopeCatalogue of(String tenantId) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        sql.list("select scope, implies from scope_catalogue where tenant_id = ?1",
                row -> entries.put(row.string("scope"), row.strings("implies")), tenantId);
        return ScopeCatalogue.of(entries);
    }
}
