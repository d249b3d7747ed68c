package io.mandate.token.listener;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.eventing.envelope.BadEventException;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.eventing.inbox.Inbox;
import io.mandate.token.authorize.Consents;
import io.mandate.token.repository.BackchannelRepository;
import io.mandate.token.repository.RevokedDelegationRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows delegation-service's revocations: every grant a {@code delegation.revoked} lists (the cascade
 * included) is refused at token exchange and ends the tokens carrying it; consent remembered with one of
 * them is forgotten. Follows the requests CIBA made too: approved, denied or expired. Once per event (inbox).
 */
@ApplicationScoped
public class DelegationListener {

    private static final String CONSUMER = "token-service.delegations";

    private final Inbox inbox;
    private final RevokedDelegationRepository revoked;
    private final Consents consents;
    private final BackchannelRepository backchannel;

    DelegationListener(Inbox inbox, RevokedDelegationRepository revoked, Consents consents,
            BackchannelRepository backchannel) {
        this.inbox = inbox;
        this.revoked = revoked;
        this.consents = consents;
        this.backchannel = backchannel;
    }

    @Incoming(Channels.DELEGATION_EVENTS)
    @Blocking
    public void onDelegationEvent(ConsumerRecord<String, String> record) {
        inbox.process(CONSUMER, record, this::apply);
    }

    private void apply(CloudEvent event) {
        switch (event.type()) {
            case "delegation.revoked" -> revoked(event);
            case "delegation.approved" -> approved(event);
            case "delegation.denied" -> backchannel.ended(required(event, "request_id"), BackchannelRepository.Status.denied);
            case "delegation.expired" -> {
                if (event.dataText("request_id") != null) {
                    backchannel.ended(event.dataText("request_id"), BackchannelRepository.Status.expired);
                }
            }
            default -> {
            }
        }
    }

    /** A request the person approved: a CIBA request waiting on it may now be polled for its token. */
    private void approved(CloudEvent event) {
        JsonNode data = event.data();
        List<String> scopes = new ArrayList<>();
        data.path("granted_scopes").forEach(s -> scopes.add(s.asText()));
        JsonNode details = data.path("authorization_details");
        String expiresAt = event.dataText("grant_expires_at");
        if (expiresAt == null) {
            return; // announced before approvals said what they granted: no CIBA request waits on it
        }
        backchannel.approved(required(event, "request_id"), required(event, "delegation_id"),
                scopes.isEmpty() ? null : scopes, Instant.parse(expiresAt),
                details.isMissingNode() || details.isNull() ? null : details.toString());
    }

    private static String required(CloudEvent event, String field) {
        String value = event.dataText(field);
        if (value == null) {
            throw new BadEventException(event.type() + " without " + field);
        }
        return value;
    }

    private void revoked(CloudEvent event) {
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
