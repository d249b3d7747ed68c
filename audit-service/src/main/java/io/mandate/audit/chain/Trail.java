package io.mandate.audit.chain;

import io.mandate.audit.export.Ocsf;
import io.mandate.eventing.CloudEvent;
import io.mandate.eventing.Outbox;
import io.mandate.eventing.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Records an event in the trail: appended to its tenant's chain and, in the same transaction, its
 * OCSF form queued for {@value Topics#AUDIT_OCSF} (keyed by chain). A second copy of an id does nothing.
 */
@ApplicationScoped
public class Trail {

    private final HashChain chain;
    private final Ocsf ocsf;
    private final Outbox outbox;

    Trail(HashChain chain, Ocsf ocsf, Outbox outbox) {
        this.chain = chain;
        this.ocsf = ocsf;
        this.outbox = outbox;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(CloudEvent event, String agentId) {
        recordAll(List.of(new HashChain.Entry(event, agentId)));
    }

    /** {@link #record} for many events, in order, with a few statements for all of them. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAll(List<HashChain.Entry> entries) {
        outbox.addRecords(chain.appendAll(entries).stream()
                .map(row -> new Outbox.Record(Topics.AUDIT_OCSF, row.chain, row.id, ocsf.map(row).toString(),
                        "application/json"))
                .toList());
    }
}
