package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.IDENTITY;

import io.mandate.cli.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resources", mixinStandardHelpOptions = true,
        description = "The APIs and MCP servers the tenant protects: their URI (the tokens' aud) and scopes.",
        subcommands = {ResourcesCommand.Register.class, ResourcesCommand.ListResources.class, ResourcesCommand.Show.class,
                ResourcesCommand.Remove.class})
public class ResourcesCommand {

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Registers a protected resource.")
    static class Register extends BaseCommand {
        @Parameters(paramLabel = "URI", description = "Its canonical URI: https, or http on loopback.")
        String uri;
        @Option(names = "--name")
        String name;
        @Option(names = "--scope", paramLabel = "SCOPE[=IMPLIED,...]", required = true,
                description = "A scope it understands, and what it implies (repeatable): reports:write=reports:read.")
        List<String> scopes;
        @Option(names = "--lifetime", paramLabel = "SECONDS", description = "Its tokens' lifetime (60 to 86400).")
        Integer lifetime;
        @Option(names = "--dpop-required", description = "Only DPoP-bound tokens for it.")
        boolean dpopRequired;
        @Option(names = "--metadata-hosted", description = "token-service serves its RFC 9728 metadata.")
        boolean metadataHosted;

        @Override
        public Integer call() {
            List<Map<String, Object>> entries = new ArrayList<>();
            for (String scope : scopes) {
                int equals = scope.indexOf('=');
                Map<String, Object> entry = Api.fields("scope", equals < 0 ? scope : scope.substring(0, equals),
                        "implies", equals < 0 ? List.of() : List.of(scope.substring(equals + 1).split(",")));
                entries.add(entry);
            }
            Map<String, Object> body = Api.fields("uri", uri, "name", name, "scopes", entries,
                    "access_token_lifetime", lifetime, "dpop_required", dpopRequired,
                    "metadata_hosted", metadataHosted);
            return show(api().post(IDENTITY, "/v1/resources", body));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenant's resources.")
    static class ListResources extends BaseCommand {
        @Override
        public Integer call() {
            return list(api().get(IDENTITY, "/v1/resources", null), "id", "uri", "name", "scopes", "dpop_required");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a resource and its RFC 9728 metadata.")
    static class Show extends BaseCommand {
        @Parameters(paramLabel = "RESOURCE_ID")
        String id;

        @Override
        public Integer call() {
            return show(api().get(IDENTITY, "/v1/resources/" + id, null));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a resource: no more tokens for it.")
    static class Remove extends BaseCommand {
        @Parameters(paramLabel = "RESOURCE_ID")
        String id;

        @Override
        public Integer call() {
            api().delete(IDENTITY, "/v1/resources/" + id);
            out().println("Removed " + id + ".");
            return 0;
        }
    }
}
