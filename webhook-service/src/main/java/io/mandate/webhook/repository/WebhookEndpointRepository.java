package io.mandate.webhook.repository;

import io.mandate.webhook.WebhookEndpoint;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class WebhookEndpointRepository implements PanacheRepositoryBase<WebhookEndpoint, String> {

    /**
     * Locks the endpoints' rows in id order. Whoever changes both an endpoint and its messages
     * (recording attempts, disabling) takes the endpoint first, so the two never deadlock. {@code no
     * key update}: queuing new messages (their foreign key share-locks the endpoint) is not held up.
     */
    public void lock(Collection<String> ids) {
        getEntityManager().createNativeQuery("select id from webhook_endpoint where id = any(?1) order by id for no key update")
                .setParameter(1, ids.toArray(String[]::new))
                .getResultList();
    }

    /**
     * Ids of the tenant's live endpoints that subscribed to {@code eventType}. Read as plain rows, not
     * entities: the fan-out runs for every event, and managed entities would be dirty-checked at each
     * flush of its transaction.
     */
    @SuppressWarnings("unchecked")
    public List<String> subscribers(String tenantId, String eventType) {
        List<Object[]> rows = getEntityManager().createNativeQuery(
                "select id, events from webhook_endpoint where tenant_id = ?1 and active and deleted_at is null order by id")
                .setParameter(1, tenantId)
                .getResultList();
        return rows.stream()
                .filter(row -> Arrays.stream((Object[]) row[1]).anyMatch(p -> WebhookEndpoint.matches((String) p, eventType)))
                .map(row -> (String) row[0])
                .toList();
    }
}
