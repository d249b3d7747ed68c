package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import io.mandate.cli.Session;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "The profile file: where Mandate is, the tenant, who is signed in (tokens never shown).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Use.class, ConfigCommand.Set.class})
public class ConfigCommand {

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the profiles; the current one first.")
    static class Show extends BaseCommand {
        @Override
        public Integer call() {
            Session session = session();
            ObjectNode view = io.mandate.cli.Api.JSON.createObjectNode();
            view.put("file", session.profiles().file().toString());
            view.put("current", session.profileName());
            ObjectNode profiles = view.putObject("profiles");
            for (Iterator<Map.Entry<String, JsonNode>> it = session.profiles().all().path("profiles").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                ObjectNode copy = entry.getValue().deepCopy();
                if (copy.has("token")) {
                    copy.put("token", "(kept)");
                }
                profiles.set(entry.getKey(), copy);
            }
            return show(view);
        }
    }

    @Command(name = "use", mixinStandardHelpOptions = true, description = "Makes a profile the current one.")
    static class Use extends BaseCommand {
        @Parameters(paramLabel = "PROFILE")
        String name;

        @Override
        public Integer call() {
            session().profiles().use(name);
            session().profiles().profile(name);
            session().profiles().save();
            out().println("Now using profile " + name + ".");
            return Exit.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Keeps --url and --tenant in the profile, and where each service is.",
                    "Needed only when the services are not behind one URL.",
                    "On a loopback URL the services are found on the next four ports (the local stack)."})
    static class Set extends BaseCommand {
        @Option(names = "--identity-url", paramLabel = "URL")
        String identity;
        @Option(names = "--delegation-url", paramLabel = "URL")
        String delegation;
        @Option(names = "--audit-url", paramLabel = "URL")
        String audit;
        @Option(names = "--webhook-url", paramLabel = "URL")
        String webhook;

        @Override
        public Integer call() {
            Session session = session();
            ObjectNode profile = session.profile();
            if (session.url() != null) {
                profile.put("url", session.url());
            }
            if (session.tenant() != null) {
                profile.put("tenant", session.tenant());
            }
            put(profile, "identity_url", identity);
            put(profile, "delegation_url", delegation);
            put(profile, "audit_url", audit);
            put(profile, "webhook_url", webhook);
            session.profiles().save();
            out().println("Profile " + session.profileName() + " saved in " + session.profiles().file() + ".");
            return Exit.OK;
        }

        private static void put(ObjectNode profile, String key, String value) {
            if (value != null) {
                profile.put(key, value);
            }
        }
    }
}
