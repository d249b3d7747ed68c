package io.mandate.webhook.repository;

import io.mandate.webhook.WebhookEndpoint;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, String> {

    public List<WebhookEndpoint> findActive(String tenantId) {
        return list("tenantId = ?1 and active = true and deletedAt is null", tenantId);
    }
}
