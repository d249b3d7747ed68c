package io.mandate.identity.repository;

import io.mandate.identity.Tenant;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    public boolean nameTaken(String name) {
        return count("lower(name) = ?1", name.toLowerCase()) > 0;
    }

    /** One page of tenants in a stable order (by id), after {@code afterId} when given. */
    public List<Tenant> page(String afterId, int limit) {
        return (afterId == null ? find("order by id") : find("id > ?1 order by id", afterId)).page(0, limit).list();
    }
}
