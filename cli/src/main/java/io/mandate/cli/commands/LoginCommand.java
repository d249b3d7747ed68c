package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.cli.Exit;
import io.mandate.cli.Secrets;
import io.mandate.cli.Session;
import io.mandate.cli.UsageException;
import java.io.Console;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Signs you in and keeps the token in the profile (and --url).",
                "--browser: approve the sign-in in your browser (where you may sign in with your organisation).",
                "Asks for the password without echo, or reads it from standard input or a file.",
                "--token-stdin keeps a token you already have, such as the platform admin's bootstrap token."})
public class LoginCommand extends BaseCommand {

    @Option(names = {"-u", "--username"}, description = "Your username (asked for when missing).")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from this file.")
    Path passwordFile;

    @Option(names = "--browser", description = "Sign in through the browser: approve the code shown at the URL shown.")
    boolean browser;

    @Option(names = "--no-open", description = "With --browser: only print the URL, do not try to open a browser.")
    boolean noOpen;

    @Option(names = "--token-stdin", description = "Keep the bearer token read from standard input instead.")
    boolean tokenStdin;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Keep the bearer token in this file instead.")
    Path tokenFile;

    @Override
    public Integer call() {
        Session session = session();
        ObjectNode profile = session.profile();
        profile.put("url", session.requireUrl());
        if (session.tenant() != null) {
            profile.put("tenant", session.tenant());
        }
        if (tokenStdin || tokenFile != null) {
            profile.put("token", Secrets.read(tokenFile, tokenStdin, "token"));
            profile.remove(java.util.List.of("username", "token_expires_at"));
            session.profiles().save();
            out().println("Signed in with the token given (profile " + session.profileName() + ", "
                    + session.profiles().file() + ").");
            return Exit.OK;
        }
        JsonNode answer = browser ? new BrowserSignIn(api(), out(), err(), !noOpen).signIn() : withPassword();
        JsonNode user = answer.path("user");
        profile.put("token", answer.path("token").asText());
        profile.put("username", user.path("username").asText());
        profile.put("token_expires_at", Instant.now().plusSeconds(answer.path("expires_in").asLong()).toString());
        if (session.tenant() == null && user.hasNonNull("tenant_id")) {
            profile.put("tenant", user.get("tenant_id").asText());
        }
        session.profiles().save();
        if (output().json()) {
            return show(user);
        }
        out().printf("Signed in as %s (%s, tenant %s, roles %s) until %s; profile %s.%n", user.path("username").asText(),
                user.path("id").asText(), user.path("tenant_id").asText(), user.path("roles"),
                profile.get("token_expires_at").asText(), session.profileName());
        return Exit.OK;
    }

    private JsonNode withPassword() {
        String who = username != null ? username : ask();
        String password = Secrets.read(passwordFile, passwordStdin, "password");
        return api().postAnonymously(Session.Service.TOKEN, "/v1/auth/login", Map.of("username", who, "password", password));
    }

    private static String ask() {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the username on: pass --username");
        }
        String typed = console.readLine("username: ");
        if (typed == null || typed.isBlank()) {
            throw new UsageException("no username given");
        }
        return typed.strip();
    }
}
