package io.mandate.cli;

import io.mandate.cli.commands.AgentsCommand;
import io.mandate.cli.commands.AuditCommand;
import io.mandate.cli.commands.ConfigCommand;
import io.mandate.cli.commands.DelegationsCommand;
import io.mandate.cli.commands.LoginCommand;
import io.mandate.cli.commands.LogoutCommand;
import io.mandate.cli.commands.PermissionsCommand;
import io.mandate.cli.commands.ResourcesCommand;
import io.mandate.cli.commands.TenantsCommand;
import io.mandate.cli.commands.TokenCommand;
import io.mandate.cli.commands.UsersCommand;
import io.mandate.cli.commands.WebhookCommand;
import io.mandate.cli.commands.WebhooksCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code mandate}: the command line. Each command's {@code --help} says what it does. */
@Command(name = "mandate", mixinStandardHelpOptions = true, version = "mandate 0.1.0",
        description = "Identity, scoped tokens, delegation and audit for AI agents, from the command line.",
        subcommands = {LoginCommand.class, LogoutCommand.class, ConfigCommand.class, TenantsCommand.class,
                UsersCommand.class, AgentsCommand.class, PermissionsCommand.class, ResourcesCommand.class,
                DelegationsCommand.class,
                WebhooksCommand.class, AuditCommand.class, TokenCommand.class, WebhookCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done; a token or signature checked is valid",
                "1:Mandate refused the request (4xx), or what was checked is not valid",
                "2:wrong usage (an unknown option, a missing argument)",
                "3:not signed in, or not allowed (401, 403)",
                "4:not found (404)",
                "5:Mandate unreachable or failing (5xx), after retries"},
        footer = {"", "Settings come from the flags, then the environment (MANDATE_URL, MANDATE_TENANT, MANDATE_TOKEN, "
                + "MANDATE_PROFILE, MANDATE_CONFIG), then the profile file (~/.config/mandate/config.json)."})
public class Main {

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The profile to use (default: MANDATE_PROFILE, else the current one).")
    String profile;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default) or json.")
    Output.Format output = Output.Format.table;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Mandate's URL: token-service's, or a gateway's (default: MANDATE_URL, else the profile's).")
    String url;

    @Option(names = "--tenant", scope = ScopeType.INHERIT, paramLabel = "ID",
            description = "The tenant to work in, for the platform admin (default: MANDATE_TENANT, else the profile's).")
    String tenant;

    /** What the flags, the environment and the profile file say, resolved once per run. */
    public Session session() {
        return Session.resolve(profile, url, tenant, output, System.getenv());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code. */
    public static int run(String... args) {
        CommandLine line = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new Failures());
        return line.execute(args);
    }
}
