package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.IDENTITY;

import io.mandate.cli.Api;
import io.mandate.cli.Secrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users", mixinStandardHelpOptions = true, description = "People's accounts in the tenant (tenant admins).",
        subcommands = {UsersCommand.ListUsers.class, UsersCommand.Create.class, UsersCommand.Show.class,
                UsersCommand.Disable.class})
public class UsersCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the accounts.")
    static class ListUsers extends BaseCommand {
        @Option(names = "--limit", defaultValue = "50")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() {
            return list(api().get(IDENTITY, "/v1/users", Api.fields("limit", limit, "cursor", cursor)),
                    "id", "username", "email", "roles", "status");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates an account; the password comes from standard input or a file, or none (sign-in elsewhere).")
    static class Create extends BaseCommand {
        @Option(names = "--username", required = true)
        String username;
        @Option(names = "--email", required = true)
        String email;
        @Option(names = "--role", paramLabel = "ROLE", description = "tenant_admin, auditor or owner (repeatable).")
        List<String> roles = List.of();
        @Option(names = "--permission", paramLabel = "SCOPE", description = "What the person holds (repeatable).")
        List<String> permissions = List.of();
        @Option(names = "--password-stdin")
        boolean passwordStdin;
        @Option(names = "--password-file", paramLabel = "FILE")
        Path passwordFile;

        @Override
        public Integer call() {
            Map<String, Object> body = Api.fields("username", username, "email", email, "roles", roles,
                    "permissions", permissions);
            if (passwordStdin || passwordFile != null) {
                body.put("password", Secrets.read(passwordFile, passwordStdin, "password"));
            }
            return show(api().post(IDENTITY, "/v1/users", body));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows an account (`me` for yours).")
    static class Show extends BaseCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return show(api().get(IDENTITY, "/v1/users/" + id, null));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disables an account: sign-in and its tokens refused.")
    static class Disable extends BaseCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return show(api().post(IDENTITY, "/v1/users/" + id + "/disable", null));
        }
    }
}
