package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.IDENTITY;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import io.mandate.cli.Api;
import io.mandate.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "agents", mixinStandardHelpOptions = true, description = "Agents: register, look up, suspend, revoke, keys.",
        subcommands = {AgentsCommand.Register.class, AgentsCommand.ListAgents.class, AgentsCommand.Show.class,
                AgentsCommand.Suspend.class, AgentsCommand.Reactivate.class, AgentsCommand.Revoke.class,
                AgentsCommand.RotateKey.class, AgentsCommand.AddPublicKey.class})
public class AgentsCommand {

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Registers an agent; its API key is shown once.")
    static class Register extends BaseCommand {
        @Option(names = "--name", required = true)
        String name;
        @Option(names = "--owner-email", required = true, description = "The person answerable for it.")
        String ownerEmail;
        @Option(names = "--permission", paramLabel = "SCOPE", description = "What it may do (repeatable).")
        List<String> permissions = List.of();
        @Option(names = "--description")
        String description;
        @Option(names = "--tier", description = "free, pro or enterprise (tenant admins).")
        String tier;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("name", name, "owner_email", ownerEmail, "permissions", permissions,
                    "description", description, "tier", tier);
            JsonNode answer = api().post(IDENTITY, "/v1/agents", body);
            if (output().json()) {
                return show(answer);
            }
            output().object(out(), answer.path("agent"));
            out().println("api_key  " + answer.path("credentials").path("api_key").asText());
            warnShownOnce("API key");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists agents, newest first.")
    static class ListAgents extends BaseCommand {
        @Option(names = "--status", description = "active, suspended or revoked.")
        String status;
        @Option(names = "--tier")
        String tier;
        @Option(names = "--owner", description = "The owner's email.")
        String owner;
        @Option(names = "--limit", defaultValue = "50")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() {
            Map<String, Object> query = Api.fields("status", status, "tier", tier, "owner", owner, "limit", limit,
                    "cursor", cursor);
            return list(api().get(IDENTITY, "/v1/agents", query), "id", "name", "status", "tier", "trust_level",
                    "owner_email", "permissions");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows an agent and its credentials.")
    static class Show extends BaseCommand {
        @Parameters(paramLabel = "AGENT_ID")
        String id;

        @Override
        public Integer call() {
            JsonNode agent = api().get(IDENTITY, "/v1/agents/" + id, null);
            JsonNode credentials = api().get(IDENTITY, "/v1/agents/" + id + "/credentials", null);
            if (output().json()) {
                return show(Api.JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("agent", agent)
                        .set("credentials", credentials.path("items")));
            }
            output().object(out(), agent);
            out().println();
            return list(credentials, "id", "kind", "prefix", "algorithm", "status", "expires_at");
        }
    }

    /** suspend, reactivate, revoke: a POST to the agent's action. */
    abstract static class Action extends BaseCommand {
        @Parameters(paramLabel = "AGENT_ID")
        String id;

        abstract String action();

        @Override
        public Integer call() {
            return show(api().post(IDENTITY, "/v1/agents/" + id + "/" + action(), null));
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspends an agent: no tokens, its tokens refused.")
    static class Suspend extends Action {
        String action() {
            return "suspend";
        }
    }

    @Command(name = "reactivate", mixinStandardHelpOptions = true, description = "Lets a suspended agent work again.")
    static class Reactivate extends Action {
        String action() {
            return "reactivate";
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an agent for good, and its grants.")
    static class Revoke extends Action {
        String action() {
            return "revoke";
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = {"Issues a new API key for an agent (shown once).",
                    "The old one works on for the grace period.",
                    "Without --credential, the agent's one active API key is rotated."})
    static class RotateKey extends BaseCommand {
        @Parameters(paramLabel = "AGENT_ID")
        String id;
        @Option(names = "--credential", paramLabel = "CREDENTIAL_ID")
        String credential;
        @Option(names = "--grace", paramLabel = "SECONDS", description = "How long the old key still works (default 24 h).")
        Long grace;

        @Override
        public Integer call() {
            String target = credential != null ? credential : onlyActiveKey();
            JsonNode answer = api().post(IDENTITY, "/v1/agents/" + id + "/credentials/" + target + "/rotate",
                    Api.fields("grace_period_seconds", grace));
            if (output().json()) {
                return show(answer);
            }
            out().println("credential  " + answer.path("credential").path("id").asText());
            out().println("api_key     " + answer.path("api_key").asText());
            out().println("old key until " + answer.path("replaced").path("expires_at").asText());
            warnShownOnce("API key");
            return 0;
        }

        private String onlyActiveKey() {
            List<String> keys = new ArrayList<>();
            for (JsonNode credential : api().get(IDENTITY, "/v1/agents/" + id + "/credentials", null).path("items")) {
                if ("api_key".equals(credential.path("kind").asText()) && "active".equals(credential.path("status").asText())) {
                    keys.add(credential.path("id").asText());
                }
            }
            if (keys.size() != 1) {
                throw new UsageException("the agent has " + keys.size() + " active API keys" + (keys.isEmpty() ? ""
                        : " (" + String.join(", ", keys) + ")") + "; name one with --credential");
            }
            return keys.get(0);
        }
    }

    @Command(name = "add-public-key", mixinStandardHelpOptions = true,
            description = {"Registers an agent's public key (private_key_jwt, key challenges).",
                    "EC P-256, Ed25519 or RSA >= 2048.",
                    "Give a JWK file; only its public part is sent, even if the file holds the private key."})
    static class AddPublicKey extends BaseCommand {
        @Parameters(paramLabel = "AGENT_ID")
        String id;
        @Option(names = "--jwk-file", required = true, paramLabel = "FILE")
        Path jwkFile;

        @Override
        public Integer call() throws Exception {
            JWK key = JWK.parse(Files.readString(jwkFile)).toPublicJWK();
            return show(api().post(IDENTITY, "/v1/agents/" + id + "/credentials/public-keys",
                    Map.of("jwk", key.toJSONObject())));
        }
    }
}
