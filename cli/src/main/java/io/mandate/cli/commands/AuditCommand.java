package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.AUDIT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.auditchain.OfflineVerifier;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import io.mandate.cli.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The tenant's audit trail: query it, follow it live, export it (NDJSON or OCSF), check its chain.",
        subcommands = {AuditCommand.Query.class, AuditCommand.Follow.class, AuditCommand.Export.class,
                AuditCommand.Verify.class})
public class AuditCommand {

    /** The filters query and follow share. */
    static class Filters {
        @Option(names = "--agent", paramLabel = "AGENT_ID")
        String agent;
        @Option(names = "--actor", paramLabel = "ID")
        String actor;
        @Option(names = "--type", paramLabel = "TYPE", description = "An event type, e.g. agent.verified.")
        String type;
        @Option(names = "--outcome", description = "success or failure.")
        String outcome;
        @Option(names = "--delegation", paramLabel = "DELEGATION_ID")
        String delegation;

        Map<String, Object> query() {
            return Api.fields("agent_id", agent, "actor_id", actor, "type", type, "outcome", outcome, "delegation_id",
                    delegation);
        }
    }

    static final String[] COLUMNS = {"time", "type", "agent_id", "actor.id", "outcome", "id"};

    @Command(name = "query", mixinStandardHelpOptions = true, description = "Events, newest first, with filters.")
    static class Query extends BaseCommand {
        @picocli.CommandLine.Mixin
        Filters filters = new Filters();
        @Option(names = "--from", description = "RFC 3339, inclusive.")
        String from;
        @Option(names = "--to", description = "RFC 3339, exclusive.")
        String to;
        @Option(names = "--limit", defaultValue = "50", description = "1 to 500.")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() {
            Map<String, Object> query = filters.query();
            query.put("from", from);
            query.put("to", to);
            query.put("limit", limit);
            query.put("cursor", cursor);
            return list(api().get(AUDIT, "/v1/audit/events", query), COLUMNS);
        }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true,
            description = {"Prints new events as they are recorded, until interrupted (Ctrl-C).",
                    "In json mode, one JSON object per line."})
    static class Follow extends BaseCommand {
        @picocli.CommandLine.Mixin
        Filters filters = new Filters();
        @Option(names = "--since", defaultValue = "PT0S", description = "Start this long ago (ISO-8601 duration, e.g. PT5M).")
        Duration since;
        @Option(names = "--max-events", paramLabel = "N", description = "Stop after N events.")
        Integer maxEvents;
        @Option(names = "--timeout", description = "Stop after this long (ISO-8601 duration).")
        Duration timeout;

        /** Events may be recorded a little after their time: look this far back again, skipping those printed. */
        private static final Duration LOOKBACK = Duration.ofSeconds(30);

        @Override
        public Integer call() throws InterruptedException {
            Instant start = Instant.now().minus(since);
            Instant deadline = timeout == null ? null : Instant.now().plus(timeout);
            Map<String, Instant> printed = new LinkedHashMap<>();
            int count = 0;
            Instant newest = start;
            while (deadline == null || Instant.now().isBefore(deadline)) {
                Map<String, Object> query = filters.query();
                Instant from = newest.minus(LOOKBACK).isBefore(start) ? start : newest.minus(LOOKBACK);
                query.put("from", from.toString());
                query.put("order", "asc");
                query.put("limit", 500);
                for (JsonNode event : api().get(AUDIT, "/v1/audit/events", query).path("items")) {
                    String id = event.path("id").asText();
                    if (printed.containsKey(id)) {
                        continue;
                    }
                    Instant time = Instant.parse(event.path("time").asText());
                    printed.put(id, time);
                    newest = time.isAfter(newest) ? time : newest;
                    print(event);
                    if (maxEvents != null && ++count >= maxEvents) {
                        return Exit.OK;
                    }
                }
                Instant forgetBefore = newest.minus(LOOKBACK.multipliedBy(2));
                printed.values().removeIf(time -> time.isBefore(forgetBefore));
                out().flush();
                Thread.sleep(1000);
            }
            return Exit.OK;
        }

        private void print(JsonNode event) {
            if (output().json()) {
                out().println(event.toString());
            } else {
                out().printf("%s  %-28s %-26s %-8s %s%n", event.path("time").asText(), event.path("type").asText(),
                        event.path("agent_id").asText("-"), event.path("outcome").asText(), event.path("id").asText());
            }
            out().flush();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Writes the whole trail to a folder, to keep or check offline.",
                    "export.ndjson (or export.ocsf.ndjson), audit-keys.json and checkpoints.json;",
                    "`mandate audit verify --offline DIR` checks it."})
    static class Export extends BaseCommand {
        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path dir;
        @Option(names = "--format", defaultValue = "ndjson", description = "ndjson (default; checkable) or ocsf.")
        String format;
        @Option(names = "--from", description = "RFC 3339 (an export from a date cannot be checked offline).")
        String from;
        @Option(names = "--to")
        String to;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(dir);
            Map<String, Object> query = Api.fields("format", format, "from", from, "to", to);
            String trail = api().text(AUDIT, "/v1/audit/export", query);
            Path file = dir.resolve(format.equals("ocsf") ? "export.ocsf.ndjson" : "export.ndjson");
            Files.writeString(file, trail);
            Files.writeString(dir.resolve("audit-keys.json"), Output.pretty(api().get(AUDIT, "/.well-known/audit-keys", null)));
            ObjectNode checkpoints = Api.JSON.createObjectNode();
            ArrayNode items = checkpoints.putArray("items");
            String cursor = null;
            do {
                Map<String, Object> page = Api.fields("limit", 500, "cursor", cursor);
                JsonNode answer = api().get(AUDIT, "/v1/audit/checkpoints", page);
                answer.path("items").forEach(items::add);
                cursor = answer.hasNonNull("next_cursor") ? answer.get("next_cursor").asText() : null;
            } while (cursor != null);
            Files.writeString(dir.resolve("checkpoints.json"), Output.pretty(checkpoints));
            long lines = trail.lines().filter(line -> !line.isBlank()).count();
            out().printf("Wrote %d records to %s, the audit keys and %d checkpoints.%n", lines, file, items.size());
            return Exit.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks the trail's hash chain and signed checkpoints.",
                    "Without --offline, audit-service checks its own database; with it, this machine checks an export",
                    "folder (`mandate audit export`) and needs no network. Exit 0: valid; 1: broken."})
    static class Verify extends BaseCommand {
        @Option(names = "--offline", paramLabel = "DIR", description = "An export folder.")
        Path offline;

        @Override
        public Integer call() throws Exception {
            boolean valid;
            JsonNode result;
            if (offline != null) {
                OfflineVerifier.Result checked = OfflineVerifier.verify(Files.readAllLines(offline.resolve("export.ndjson")),
                        Files.readString(offline.resolve("audit-keys.json")),
                        List.of(Files.readString(offline.resolve("checkpoints.json"))));
                valid = checked.valid();
                ObjectNode view = Api.JSON.createObjectNode().put("valid", checked.valid()).put("checked", checked.checked());
                view.put("first_broken_seq", checked.firstBrokenSeq());
                view.put("reason", checked.reason());
                result = view;
            } else {
                result = api().get(AUDIT, "/v1/audit/verify", null);
                valid = result.path("valid").asBoolean();
            }
            if (output().json()) {
                out().println(Output.pretty(result));
            } else if (valid) {
                out().println("valid: " + result.path("checked").asLong() + " records");
            } else {
                out().println("broken at seq " + result.path("first_broken_seq").asText() + ": " + result.path("reason").asText());
            }
            return valid ? Exit.OK : Exit.REFUSED;
        }
    }
}
