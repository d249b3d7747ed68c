package io.mandate.webhook.repository;

import io.mandate.sql.Fields;
import io.mandate.sql.Sql;
import io.mandate.webhook.WebhookEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code webhook_endpoint} rows. */
@ApplicationScoped
public class WebhookEndpointRepository {

    private static final String SELECT = "select " + Fields.columns(WebhookEndpoint.class) + " from webhook_endpoint";
    private static final Sql.Mapper<WebhookEndpoint> ENDPOINT = Fields.reader(WebhookEndpoint.class);

    private final Sql sql;

    WebhookEndpointRepository(Sql sql) {
        this.sql = sql;
    }

    public void insert(WebhookEndpoint e) {
        sql.insert("webhook_endpoint", e);
    }

    /** Stores what may change after creation. */
    public void save(WebhookEndpoint e) {
        sql.update("""
                update webhook_endpoint set url = ?2, events = ?3, description = ?4, secret = ?5, previous_secret = ?6,
                    previous_secret_expires_at = ?7, active = ?8, failing_since = ?9, deleted_at = ?10
                where id = ?1""", e.id, e.url, e.events, e.description, e.secret, e.previousSecret,
                e.previousSecretExpiresAt, e.active, e.failingSince, e.deletedAt);
    }

    public Optional<WebhookEndpoint> find(String id) {
        return sql.first(SELECT + " where id = ?1", ENDPOINT, id);
    }

    /** The tenant's endpoint unless deleted; {@code forUpdate} locks its row until the transaction ends. */
    public Optional<WebhookEndpoint> findLive(String tenantId, String id, boolean forUpdate) {
        return sql.first(SELECT + " where id = ?1 and tenant_id = ?2 and deleted_at is null"
                + (forUpdate ? " for update" : ""), ENDPOINT, id, tenantId);
    }

    /** The tenant's endpoints that are not deleted, newest first. */
    public List<WebhookEndpoint> listLive(String tenantId) {
        return sql.list(SELECT + " where tenant_id = ?1 and deleted_at is null order by created_at desc, id desc", ENDPOINT,
                tenantId);
    }

    /**
     * Locks the endpoints' rows in id order. Whoever changes both an endpoint and its messages
     * (recording attempts, disabling) takes the endpoint first, so the two never deadlock. {@code no
     * key update}: queuing new messages (their foreign key share-locks the endpoint) is not held up.
     */
    public void lock(Collection<String> ids) {
        sql.list("select id from webhook_endpoint where id = any(?1) order by id for no key update", row -> row.string("id"),
                ids);
    }

    /** Ids of the tenant's live endpoints that subscribed to {@code eventType}. */
    public List<String> subscribers(String tenantId, String eventType) {
        record Subscription(String id, List<String> events) {
        }
        return sql.list("select id, events from webhook_endpoint where tenant_id = ?1 and active and deleted_at is null"
                + " order by id",
                row -> new Subscription(row.string("id"), row.strings("events")), tenantId).stream()
                .filter(s -> s.events().stream().anyMatch(pattern -> WebhookEndpoint.matches(pattern, eventType)))
                .map(Subscription::id).toList();
    }
}
