package io.mandate.token.repository;

import io.mandate.eventing.envelope.PermissionChange;
import io.mandate.eventing.envelope.ResourceSnapshot;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenants' permission catalogues (from {@code permission.added}, {@code .updated} and
 * {@code .removed}) and their resources' scopes ({@code resource.*}): which scopes exist, what each
 * implies, and what each is called in words.
 */
@ApplicationScoped
public class ScopeCatalogueRepository {

    private final Sql sql;

    ScopeCatalogueRepository(Sql sql) {
        this.sql = sql;
    }

    /** Applies a catalogue change. */
    public void apply(PermissionChange change) {
        if (change.removed()) {
            sql.update("delete from scope_catalogue where tenant_id = ?1 and scope = ?2 and source = ''", change.tenantId(),
                    change.permission());
            return;
        }
        sql.update("""
                insert into scope_catalogue (tenant_id, scope, source, description, implies) values (?1, ?2, '', ?3, ?4)
                on conflict (tenant_id, scope, source) do update set description = excluded.description,
                    implies = excluded.implies""",
                change.tenantId(), change.permission(), change.description(), change.implies());
    }

    /** A resource's scopes, as it now lists them (none once removed). */
    public void apply(ResourceSnapshot resource) {
        sql.update("delete from scope_catalogue where tenant_id = ?1 and source = ?2", resource.tenantId(), resource.id());
        if (resource.removed()) {
            return;
        }
        for (ResourceSnapshot.Scope scope : resource.scopes()) {
            sql.update("insert into scope_catalogue (tenant_id, scope, source, description, implies) values (?1, ?2, ?3, ?4, ?5)",
                    resource.tenantId(), scope.scope(), resource.id(), scope.description(), scope.implies());
        }
    }

    /** The tenant's catalogue for the matcher: its listed permissions, and what its resources' scopes imply. */
    public ScopeCatalogue of(String tenantId) {
        ScopeCatalogue.Builder catalogue = new ScopeCatalogue.Builder();
        sql.list("select scope, source, implies from scope_catalogue where tenant_id = ?1", row -> row.string("source")
                .isEmpty() ? catalogue.listed(row.string("scope"), row.strings("implies"))
                : catalogue.implying(row.string("scope"), row.strings("implies")), tenantId);
        return catalogue.build();
    }

    /** The descriptions the tenant's catalogue gives {@code scopes} (those it has one for). */
    public Map<String, String> descriptions(String tenantId, List<String> scopes) {
        Map<String, String> descriptions = new HashMap<>();
        sql.list("""
                select scope, description from scope_catalogue
                where tenant_id = ?1 and scope = any(?2) and description is not null and description <> ''
                order by source desc""",
                row -> descriptions.put(row.string("scope"), row.string("description")), tenantId, scopes);
        return descriptions;
    }
}
