package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.WEBHOOK;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.cli.Api;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Webhook endpoints (Standard Webhooks): create, list, test, rotate the secret, attempts, redeliver.",
        subcommands = {WebhooksCommand.Create.class, WebhooksCommand.ListEndpoints.class, WebhooksCommand.Test.class,
                WebhooksCommand.RotateSecret.class, WebhooksCommand.Messages.class, WebhooksCommand.Attempts.class,
                WebhooksCommand.Redeliver.class})
public class WebhooksCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Subscribes a URL to events; the secret is shown once.")
    static class Create extends BaseCommand {
        @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "Where deliveries go (https).")
        String url;
        @Option(names = "--event", required = true, paramLabel = "TYPE", description = "A type, a prefix (agent.*) or * (repeatable).")
        List<String> events;
        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("url", url, "events", events, "description", description);
            JsonNode answer = api().post(WEBHOOK, "/v1/webhooks", body);
            show(answer);
            warnShownOnce("secret");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenant's endpoints.")
    static class ListEndpoints extends BaseCommand {
        @Override
        public Integer call() {
            return list(api().get(WEBHOOK, "/v1/webhooks", null), "id", "url", "events", "active", "created_at");
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, description = "Sends a webhook.test event to an endpoint now.")
    static class Test extends BaseCommand {
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;

        @Override
        public Integer call() {
            return show(api().post(WEBHOOK, "/v1/webhooks/" + id + "/test", null));
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "A new signing secret (shown once); the old one signs beside it for a day.")
    static class RotateSecret extends BaseCommand {
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;

        @Override
        public Integer call() {
            show(api().post(WEBHOOK, "/v1/webhooks/" + id + "/rotate-secret", null));
            warnShownOnce("secret");
            return 0;
        }
    }

    @Command(name = "messages", mixinStandardHelpOptions = true, description = "The messages sent to an endpoint, newest first.")
    static class Messages extends BaseCommand {
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;
        @Option(names = "--status", description = "pending, delivered or failed.")
        String status;
        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() {
            Map<String, Object> query = Api.fields("status", status, "limit", limit);
            return list(api().get(WEBHOOK, "/v1/webhooks/" + id + "/messages", query), "id", "event_type", "status",
                    "attempts", "next_attempt_at", "created_at");
        }
    }

    @Command(name = "attempts", mixinStandardHelpOptions = true, description = "Delivery attempts to an endpoint, newest first.")
    static class Attempts extends BaseCommand {
        @Parameters(paramLabel = "WEBHOOK_ID")
        String id;
        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() {
            return list(api().get(WEBHOOK, "/v1/webhooks/" + id + "/attempts", Map.of("limit", limit)), "id", "message_id",
                    "attempted_at", "response_code", "duration_ms", "error");
        }
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true, description = "Sends a message again, from a fresh retry schedule.")
    static class Redeliver extends BaseCommand {
        @Parameters(index = "0", paramLabel = "WEBHOOK_ID")
        String id;
        @Parameters(index = "1", paramLabel = "MESSAGE_ID")
        String message;

        @Override
        public Integer call() {
            api().post(WEBHOOK, "/v1/webhooks/" + id + "/messages/" + message + "/redeliver", null);
            out().println("Message " + message + " is on its way again.");
            return 0;
        }
    }
}
