package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.IDENTITY;

import io.mandate.cli.Api;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "The tenant's catalogue of permissions (scopes) and what each implies.",
        subcommands = {PermissionsCommand.ListPermissions.class, PermissionsCommand.Add.class, PermissionsCommand.Update.class,
                PermissionsCommand.Remove.class})
public class PermissionsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the catalogue.")
    static class ListPermissions extends BaseCommand {
        @Override
        public Integer call() {
            return list(api().get(IDENTITY, "/v1/permissions", null), "permission", "implies", "description");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a permission to the catalogue.")
    static class Add extends BaseCommand {
        @Parameters(paramLabel = "PERMISSION")
        String permission;
        @Option(names = "--implies", paramLabel = "SCOPE", description = "A permission it implies (repeatable).")
        List<String> implies = List.of();
        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("permission", permission, "implies", implies,
                    "description", description);
            return show(api().post(IDENTITY, "/v1/permissions", body));
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Replaces a permission's description and implications.")
    static class Update extends BaseCommand {
        @Parameters(paramLabel = "PERMISSION")
        String permission;
        @Option(names = "--implies", paramLabel = "SCOPE")
        List<String> implies = List.of();
        @Option(names = "--description")
        String description;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("implies", implies, "description", description);
            return show(api().put(IDENTITY, "/v1/permissions/" + URLEncoder.encode(permission, StandardCharsets.UTF_8), body));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes a permission from the catalogue.")
    static class Remove extends BaseCommand {
        @Parameters(paramLabel = "PERMISSION")
        String permission;

        @Override
        public Integer call() {
            api().delete(IDENTITY, "/v1/permissions/" + URLEncoder.encode(permission, StandardCharsets.UTF_8));
            out().println("Removed " + permission + ".");
            return 0;
        }
    }
}
