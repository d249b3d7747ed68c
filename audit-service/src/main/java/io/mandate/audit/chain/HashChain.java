package io.mandate.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.audit.AuditEvent;
import io.mandate.auditchain.CanonicalJson;
import io.mandate.auditchain.ChainLinks;
import io.mandate.eventing.envelope.CloudEvent;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Appends events to their tenant's hash chain: record {@code n} stores {@code prev_hash} (record
 * {@code n-1}'s hash, 32 zero bytes for the first) and {@code hash = SHA-256(prev_hash ||
 * CanonicalJson(event))}. The chain's head row is locked while a record is appended, so replicas
 * appending to the same chain take turns and the chain never forks.
 */
@ApplicationScoped
public class HashChain {

    /** The chain of events that belong to no tenant. */
    public static final String PLATFORM = "_platform";
    private static final Set<String> FAILURES = Set.of("refresh_token.reuse_detected", "webhook.delivery_exhausted");

    private final Sql sql;
    private final ObjectMapper mapper;

    HashChain(Sql sql, ObjectMapper mapper) {
        this.sql = sql;
        this.mapper = mapper;
    }

    public static String chainOf(String tenantId) {
        return tenantId == null ? PLATFORM : tenantId;
    }

    /** {@code failure} for the events that report one, {@code success} for every other. */
    public static String outcomeOf(String type) {
        return type.endsWith("_failed") || FAILURES.contains(type) ? "failure" : "success";
    }

    /** An event to append and the agent it is about (or null). */
    public record Entry(CloudEvent event, String agentId) {
    }

    private record Head(long seq, byte[] hash) {
    }

    /**
     * Appends the event in the caller's transaction; the record as stored, or empty for a second copy
     * of an id already recorded.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AuditEvent> append(CloudEvent event, String agentId) {
        return appendAll(List.of(new Entry(event, agentId))).stream().findFirst();
    }

    /**
     * Appends the events, in order, in the caller's transaction, with a handful of statements whatever
     * their number: the chains' heads are locked once (in name order, so two appenders never deadlock),
     * the records are chained in memory, inserted together, and each head is moved once. Returns the
     * records as stored; a second copy of an id already recorded is left out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<AuditEvent> appendAll(List<Entry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<String, Head> heads = lockHeads(entries.stream().map(e -> chainOf(e.event().tenantid()))
                .collect(Collectors.toCollection(TreeSet::new)));
        // Read after the heads are locked: a copy being appended by another replica is committed by now.
        Set<String> recorded = new HashSet<>(sql.list(
                "select id from audit_event where id = any(cast(?1 as text[]))", row -> row.string("id"),
                entries.stream().map(e -> e.event().id()).toArray(String[]::new)));
        List<AuditEvent> rows = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            CloudEvent event = entry.event();
            if (!recorded.add(event.id())) {
                continue;
            }
            String chain = chainOf(event.tenantid());
            Head head = heads.get(chain);
            AuditEvent row = new AuditEvent();
            row.id = event.id();
            row.tenantId = event.tenantid();
            row.type = event.type();
            row.source = event.source();
            row.subject = event.subject();
            row.agentId = entry.agentId();
            row.actorType = event.authtype();
            row.actorId = event.authid();
            row.time = time(event).toInstant();
            row.recordedAt = Instant.now();
            row.chain = chain;
            row.chainSeq = head.seq() + 1;
            row.prevHash = head.hash();
            // Stored as its canonical form: the bytes hashed are the text stored (jsonb keeps the values exactly).
            byte[] canonical = canonical(event);
            row.event = new String(canonical, StandardCharsets.UTF_8);
            row.hash = ChainLinks.hash(row.prevHash, canonical);
            row.outcome = outcomeOf(event.type());
            row.delegationId = event.dataText("delegation_id");
            heads.put(chain, new Head(row.chainSeq, row.hash));
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return rows;
        }
        insert(rows);
        HexFormat hex = HexFormat.of();
        sql.update("""
                update audit_chain_head h set seq = cast(n.seq as bigint), hash = decode(n.hash, 'hex')
                from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[])) as n(chain, seq, hash)
                where h.chain = n.chain""",
                heads.keySet().toArray(String[]::new),
                heads.values().stream().map(h -> Long.toString(h.seq())).toArray(String[]::new),
                heads.values().stream().map(h -> hex.formatHex(h.hash())).toArray(String[]::new));
        return rows;
    }

    private void insert(List<AuditEvent> rows) {
        HexFormat hex = HexFormat.of();
        sql.update("""
                insert into audit_event (id, tenant_id, type, source, subject, agent_id, actor_type, actor_id, time, event,
                    chain, chain_seq, prev_hash, hash, outcome, delegation_id)
                select id, tenant_id, type, source, subject, agent_id, actor_type, actor_id, cast(time as timestamptz),
                    cast(event as jsonb), chain, cast(chain_seq as bigint), decode(prev_hash, 'hex'), decode(hash, 'hex'),
                    outcome, delegation_id
                from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[]), cast(?4 as text[]),
                    cast(?5 as text[]), cast(?6 as text[]), cast(?7 as text[]), cast(?8 as text[]), cast(?9 as text[]),
                    cast(?10 as text[]), cast(?11 as text[]), cast(?12 as text[]), cast(?13 as text[]),
                    cast(?14 as text[]), cast(?15 as text[]), cast(?16 as text[]))
                    as r(id, tenant_id, type, source, subject, agent_id, actor_type, actor_id, time, event, chain,
                         chain_seq, prev_hash, hash, outcome, delegation_id)""",
                column(rows, r -> r.id), column(rows, r -> r.tenantId), column(rows, r -> r.type),
                column(rows, r -> r.source), column(rows, r -> r.subject), column(rows, r -> r.agentId),
                column(rows, r -> r.actorType), column(rows, r -> r.actorId), column(rows, r -> r.time.toString()),
                column(rows, r -> r.event), column(rows, r -> r.chain), column(rows, r -> Long.toString(r.chainSeq)),
                column(rows, r -> hex.formatHex(r.prevHash)), column(rows, r -> hex.formatHex(r.hash)),
                column(rows, r -> r.outcome), column(rows, r -> r.delegationId));
    }

    private static String[] column(List<AuditEvent> rows, Function<AuditEvent, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }

    /** Locks the heads of these chains, in name order, creating the ones that do not exist yet. */
    private Map<String, Head> lockHeads(TreeSet<String> chains) {
        String[] names = chains.toArray(String[]::new);
        sql.update("""
                insert into audit_chain_head (chain, seq, hash) select unnest(cast(?1 as text[])), 0, ?2
                on conflict do nothing""", names, ChainLinks.GENESIS);
        Map<String, Head> heads = new LinkedHashMap<>();
        sql.list("select chain, seq, hash from audit_chain_head where chain = any(cast(?1 as text[])) order by chain for update",
                row -> Map.entry(row.string("chain"), new Head(row.longValue("seq"), row.bytes("hash"))), names)
                .forEach(head -> heads.put(head.getKey(), head.getValue()));
        return heads;
    }

    private static OffsetDateTime time(CloudEvent event) {
        try {
            return OffsetDateTime.parse(event.time());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("event " + event.id() + " has no RFC 3339 time");
        }
    }

    /**
     * The event as stored and hashed: the canonical JSON of the CloudEvent as this service parsed it
     * (attributes it does not know are dropped).
     */
    private byte[] canonical(CloudEvent event) {
        try {
            return CanonicalJson.of(mapper.<JsonNode>valueToTree(event));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON", e);
        }
    }
}
