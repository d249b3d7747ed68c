package io.mandate.token.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.inbox.Inbox;
import io.mandate.token.authorize.Consents;
import io.mandate.token.repository.RevokedDelegationRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows delegation-service's revocations: every grant a {@code delegation.revoked} lists (the cascade
 * included) is refused at token exchange and ends the tokens carrying it; consent remembered with one of
 * them is forgotten. Once per event (inbox).
 */
@ApplicationScoped
public class DelegationListener {

    private static final String CONSUMER = "token-service.delegations";

    private final Inbox inbox;
    private final RevokedDelegationRepository revoked;
    private final Consents consents;

    DelegationListener(Inbox inbox, RevokedDelegationRepository revoked, Consents consents) {
        this.inbox = inbox;
        this.revoked = revoked;
        this.consents = consents;
    }

    @Incoming(Channels.DELEGATION_EVENTS)
    @Blocking
    public void onDelegationEvent(ConsumerRecord<String, String> record) {
        inbox.process(CONSUMER, record, this::apply);
    }

    private void apply(CloudEvent event) {
        if (!"delegation.revoked".equals(event.type())) {
            return;
        }
        JsonNode ids = event.data() == null ? null : event.data().get("delegation_ids");
        String tenantId = event.dataText("tenant_id");
        if (ids == null || !ids.isArray() || ids.isEmpty() || tenantId == null) {
            throw new BadEventException("delegation.revoked without tenant_id or delegation_ids");
        }
        List<String> delegationIds = new ArrayList<>();
        ids.forEach(id -> delegationIds.add(id.asText()));
        revoked.revoke(tenantId, delegationIds);
        consents.grantsRevoked(delegationIds, event.dataText("reason"));
    }
}
