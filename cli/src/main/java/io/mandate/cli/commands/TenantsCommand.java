package io.mandate.cli.commands;

import static io.mandate.cli.Session.Service.IDENTITY;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.cli.Api;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tenants", mixinStandardHelpOptions = true, description = "Tenants (the platform admin).",
        subcommands = {TenantsCommand.ListTenants.class, TenantsCommand.Create.class, TenantsCommand.Show.class})
public class TenantsCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenants.")
    static class ListTenants extends BaseCommand {
        @Option(names = "--limit", defaultValue = "50")
        int limit;
        @Option(names = "--cursor")
        String cursor;

        @Override
        public Integer call() {
            return list(api().get(IDENTITY, "/v1/tenants", Api.fields("limit", limit, "cursor", cursor)),
                    "id", "name", "created_at");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a tenant.")
    static class Create extends BaseCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--use", description = "Work in it from now on (kept in the profile).")
        boolean use;

        @Override
        public Integer call() {
            JsonNode tenant = api().post(IDENTITY, "/v1/tenants", Map.of("name", name));
            if (use) {
                session().profile().put("tenant", tenant.path("id").asText());
                session().profiles().save();
                err().println("note: commands now work in " + tenant.path("id").asText() + " (profile "
                        + session().profileName() + ")");
            }
            return show(tenant);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one tenant.")
    static class Show extends BaseCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            return show(api().get(IDENTITY, "/v1/tenants/" + id, null));
        }
    }
}
