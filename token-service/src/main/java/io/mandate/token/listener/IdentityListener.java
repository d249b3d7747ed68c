package io.mandate.token.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.AgentSnapshot;
import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.envelope.PermissionChange;
import io.mandate.eventing.envelope.ResourceSnapshot;
import io.mandate.eventing.inbox.Inbox;
import io.mandate.eventing.outbox.AfterCommit;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.repository.ResourceProjectionRepository;
import io.mandate.token.repository.ScopeCatalogueRepository;
import io.mandate.token.service.ProjectionCache;
import io.mandate.token.service.ProjectionSignal;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the agent, credential and human projections and the permission catalogues from identity-service's
 * events. Each event is applied once (inbox); the offset is acknowledged after the projection committed.
 */
@ApplicationScoped
public class IdentityListener {

    private static final String CONSUMER = "token-service.projection";

    private final Inbox inbox;
    private final ProjectionRepository projections;
    private final ProjectionSignal signal;
    private final HumanLoginRepository humans;
    private final ScopeCatalogueRepository catalogues;
    private final ResourceProjectionRepository resources;
    private final ProjectionCache cache;
    private final TransactionSynchronizationRegistry transactions;

    IdentityListener(Inbox inbox, ProjectionRepository projections, ProjectionSignal signal,
            HumanLoginRepository humans, ScopeCatalogueRepository catalogues, ResourceProjectionRepository resources,
            ProjectionCache cache, TransactionSynchronizationRegistry transactions) {
        this.resources = resources;
        this.catalogues = catalogues;
        this.inbox = inbox;
        this.projections = projections;
        this.signal = signal;
        this.humans = humans;
        this.cache = cache;
        this.transactions = transactions;
    }

    @Incoming(Channels.IDENTITY_EVENTS)
    @Blocking
    public void onIdentityEvent(ConsumerRecord<String, String> record) {
        if (inbox.process(CONSUMER, record, this::applyIdentityEvent)) {
            signal.changed();
        }
    }

    private void applyIdentityEvent(CloudEvent event) {
        PermissionChange.of(event).ifPresent(catalogues::apply);
        ResourceSnapshot.of(event).ifPresent(resource -> {
            resources.apply(resource);
            catalogues.apply(resource);
        });
        applyAgentSnapshot(event);
    }

    @Incoming(Channels.CREDENTIAL_VERIFIERS)
    @Blocking
    public void onCredentialVerifier(ConsumerRecord<String, String> record) {
        if (inbox.process(CONSUMER, record, this::applyVerifier)) {
            signal.changed();
        }
    }

    private void applyAgentSnapshot(CloudEvent event) {
        AgentSnapshot.of(event).ifPresent(agent -> {
            if (agent.tier() == null) {
                throw new BadEventException(event.type() + " without the agent's tier");
            }
            projections.upsertAgent(agent);
            // Every replica hears of the change from PostgreSQL (V10); this one also forgets it as soon as
            // its own commit is over, so that the next request here sees what was just stored.
            AfterCommit.run(transactions, () -> cache.forgetAgent(agent.id()));
        });
    }

    private void applyVerifier(CloudEvent event) {
        if ("human.verifier".equals(event.type())) {
            applyHuman(event.data());
            return;
        }
        if (!"credential.verifier".equals(event.type())) {
            return;
        }
        JsonNode data = event.data();
        JsonNode expires = data.get("expires_at");
        Instant expiresAt;
        try {
            expiresAt = expires == null || expires.isNull() ? null : Instant.parse(expires.asText());
        } catch (DateTimeParseException e) {
            throw new BadEventException("expires_at is not an RFC 3339 instant");
        }
        String keyId = required(data, "key_id");
        projections.upsertCredential(keyId, required(data, "credential_id"),
                required(data, "agent_id"), required(data, "tenant_id"), required(data, "kind"), required(data, "verifier"),
                required(data, "status"), expiresAt);
        AfterCommit.run(transactions, () -> cache.forgetCredential(keyId));
    }

    private void applyHuman(JsonNode data) {
        JsonNode roles = data.path("roles");
        JsonNode hash = data.path("password_hash");
        if (!roles.isArray() || !data.path("version").canConvertToLong()) {
            throw new BadEventException("human.verifier without roles or version");
        }
        List<String> roleNames = new ArrayList<>();
        roles.forEach(role -> roleNames.add(role.asText()));
        List<String> permissions = new ArrayList<>();
        data.path("permissions").forEach(permission -> permissions.add(permission.asText()));
        humans.upsert(new HumanLoginRepository.Human(required(data, "user_id"), required(data, "tenant_id"),
                required(data, "username"), required(data, "email"), hash.isTextual() ? hash.asText() : null,
                roleNames, required(data, "status")), permissions, data.path("version").asLong(),
                data.path("external_subject").isTextual() ? data.path("external_subject").asText() : null);
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new BadEventException("missing " + field);
        }
        return value.asText();
    }
}
