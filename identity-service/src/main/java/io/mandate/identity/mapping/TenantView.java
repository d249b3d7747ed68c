package io.mandate.identity.mapping;

import io.mandate.identity.Tenant;
import java.time.Instant;

public record TenantView(String id, String name, Instant createdAt) {

    public static TenantView of(Tenant tenant) {
        return new TenantView(tenant.id, tenant.name, tenant.createdAt);
    }
}
