package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.DELEGATION;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.cli.Api;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delegations", mixinStandardHelpOptions = true,
        description = "Authority a person lends an agent: grant, list, revoke, and answer agents' requests.",
        subcommands = {DelegationsCommand.Grant.class, DelegationsCommand.ListGrants.class, DelegationsCommand.Revoke.class,
                DelegationsCommand.Requests.class, DelegationsCommand.Approve.class, DelegationsCommand.Deny.class})
public class DelegationsCommand {

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Lends an agent some of your authority; prints the grant and its delegation token.")
    static class Grant extends BaseCommand {
        @Option(names = "--agent", required = true, paramLabel = "AGENT_ID")
        String agent;
        @Option(names = "--scope", required = true, paramLabel = "SCOPE", description = "What is lent (repeatable).")
        List<String> scopes;
        @Option(names = "--expires-in", defaultValue = "3600", paramLabel = "SECONDS")
        long expiresIn;
        @Option(names = "--max-depth", description = "How far it may be lent on (0: not at all).")
        Integer maxDepth;
        @Option(names = "--purpose")
        String purpose;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("agent_id", agent, "scopes", scopes, "expires_in", expiresIn,
                    "max_depth", maxDepth, "purpose", purpose);
            JsonNode answer = api().post(DELEGATION, "/v1/delegations", body);
            if (output().json()) {
                return show(answer);
            }
            output().object(out(), answer.path("delegation"));
            out().println("delegation_token  " + answer.path("delegation_token").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists grants you may see, newest first.")
    static class ListGrants extends BaseCommand {
        @Option(names = "--agent", paramLabel = "AGENT_ID")
        String agent;
        @Option(names = "--user", paramLabel = "USER_ID")
        String user;
        @Option(names = "--status", description = "active, revoked or expired.")
        String status;
        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() {
            Map<String, Object> query = Api.fields("agent_id", agent, "user_id", user, "status", status,
                    "limit", limit);
            return list(api().get(DELEGATION, "/v1/delegations", query), "id", "user_id", "agent_id", "scopes", "status",
                    "expires_at");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a grant and everything lent on from it; its tokens stop working within a second.")
    static class Revoke extends BaseCommand {
        @Parameters(paramLabel = "DELEGATION_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode answer = api().post(DELEGATION, "/v1/delegations/" + id + "/revoke", null);
            if (output().json()) {
                return show(answer);
            }
            out().println("Revoked " + String.join(", ", texts(answer.path("revoked"))) + ".");
            return 0;
        }
    }

    @Command(name = "requests", mixinStandardHelpOptions = true, description = "Lists agents' requests for authority.")
    static class Requests extends BaseCommand {
        @Option(names = "--status", defaultValue = "pending", description = "pending (default), approved, denied, expired.")
        String status;

        @Override
        public Integer call() {
            return list(api().get(DELEGATION, "/v1/delegations/requests", Map.of("status", status)), "id", "agent_id",
                    "user_id", "scopes", "purpose", "expires_at");
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approves a request with your authority: as asked, or less (--scope, --expires-in).")
    static class Approve extends BaseCommand {
        @Parameters(paramLabel = "REQUEST_ID")
        String id;
        @Option(names = "--scope", paramLabel = "SCOPE")
        List<String> scopes;
        @Option(names = "--expires-in", paramLabel = "SECONDS")
        Long expiresIn;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("scopes", scopes, "expires_in", expiresIn);
            JsonNode answer = api().post(DELEGATION, "/v1/delegations/requests/" + id + "/approve",
                    body.isEmpty() ? null : body);
            if (output().json()) {
                return show(answer);
            }
            out().println("Approved " + id + ": grant " + answer.path("delegation").path("id").asText() + " of "
                    + String.join(" ", texts(answer.path("delegation").path("scopes"))) + " until "
                    + answer.path("delegation").path("expires_at").asText() + ".");
            return 0;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a request.")
    static class Deny extends BaseCommand {
        @Parameters(paramLabel = "REQUEST_ID")
        String id;

        @Override
        public Integer call() {
            return show(api().post(DELEGATION, "/v1/delegations/requests/" + id + "/deny", null));
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(value -> out.add(value.asText()));
        return out;
    }
}
