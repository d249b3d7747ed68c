package io.mandate.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.api.ProblemException;
import io.mandate.audit.AuditEvent;
import io.mandate.audit.export.Ocsf;
import io.mandate.audit.repository.AuditEventRepository;
import io.mandate.audit.service.AuditAccess;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code GET /v1/audit/export?format=ndjson|ocsf&from=&to=}: the tenant's trail, oldest first, one
 * JSON document per line, streamed page by page (never the whole result in memory). NDJSON lines
 * carry the chain fields so an export can be verified offline; OCSF lines are {@link Ocsf}'s form.
 */
@Path("/v1/audit/export")
@Authenticated
public class AuditExportResource {

    public static final String NDJSON = "application/x-ndjson";
    private static final int PAGE = 1000;

    private final AuditEventRepository events;
    private final Ocsf ocsf;
    private final ObjectMapper mapper;
    private final AuditAccess access;

    AuditExportResource(AuditEventRepository events, Ocsf ocsf, ObjectMapper mapper, AuditAccess access) {
        this.events = events;
        this.ocsf = ocsf;
        this.mapper = mapper;
        this.access = access;
    }

    @GET
    public Response export(@QueryParam("format") String format, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        String tenantId = access.readableTenant();
        String chosen = format == null ? "ndjson" : format;
        if (!chosen.equals("ndjson") && !chosen.equals("ocsf")) {
            throw ProblemException.invalid("format", "ndjson or ocsf");
        }
        Instant since = QueryParams.time("from", from);
        Instant until = QueryParams.time("to", to);
        var filter = new AuditEventRepository.Filter(tenantId, null, null, null, null, null, since, until);
        StreamingOutput body = out -> {
            Long after = null;
            while (true) {
                List<AuditEvent> page = events.search(filter, true, after, PAGE - 1);
                for (AuditEvent row : page) {
                    write(out, chosen.equals("ocsf") ? ocsf.map(row) : line(row));
                }
                if (page.size() < PAGE) {
                    return;
                }
                after = page.get(page.size() - 1).seq;
            }
        };
        return Response.ok(body, NDJSON)
                .header("Content-Disposition", "attachment; filename=\"mandate-audit-" + chosen + ".ndjson\"").build();
    }

    private ObjectNode line(AuditEvent row) {
        ObjectNode line = mapper.createObjectNode();
        line.put("chain", row.chain);
        if (row.chainSeq != null) {
            line.put("seq", row.chainSeq);
            line.put("prev_hash", HexFormat.of().formatHex(row.prevHash));
            line.put("hash", HexFormat.of().formatHex(row.hash));
        }
        line.put("recorded_at", row.recordedAt.toString());
        line.set("event", row.eventJson(mapper));
        return line;
    }

    private void write(OutputStream out, ObjectNode document) throws IOException {
        out.write(mapper.writeValueAsString(document).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
