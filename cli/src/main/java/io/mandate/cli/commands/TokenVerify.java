package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import io.mandate.cli.Output;
import io.mandate.cli.Session;
import io.mandate.resourceserver.BadTokenException;
import io.mandate.resourceserver.JwksCache;
import io.mandate.resourceserver.MandateResourceServer;
import io.mandate.resourceserver.MandateToken;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a token as an API would, and says why it is refused.",
                "The signature with Mandate's keys, typ at+jwt, iss, aud, lifetime, and --scope (mandate-resource-server).",
                "Without --issuer and --jwks-url they come from Mandate's metadata at --url. Exit 0: valid; 1: refused."})
class TokenVerify extends BaseCommand {

    @Parameters(arity = "0..1", paramLabel = "TOKEN", description = "The token, or - (the default) for standard input.")
    String token;
    @Option(names = "--audience", defaultValue = "mandate", description = "The aud it must carry (default: ${DEFAULT-VALUE}).")
    String audience;
    @Option(names = "--issuer", description = "The iss it must carry.")
    String issuer;
    @Option(names = "--jwks-url", paramLabel = "URL")
    URI jwksUrl;
    @Option(names = "--jwks-file", paramLabel = "FILE", description = "Keys from a file (test keys from mint-test).")
    Path jwksFile;
    @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope it must cover (repeatable).")
    List<String> scopes = List.of();

    @Override
    public Integer call() {
        String value = TokenInput.read(token);
        String iss = issuer;
        URI jwks = jwksFile != null ? jwksFile.toAbsolutePath().toUri() : jwksUrl;
        if (iss == null || jwks == null) {
            JsonNode metadata = api().getAnonymously(Session.Service.TOKEN, "/.well-known/oauth-authorization-server");
            iss = iss != null ? iss : metadata.path("issuer").asText();
            jwks = jwks != null ? jwks : URI.create(metadata.path("jwks_uri").asText());
        }
        MandateResourceServer checker = MandateResourceServer.builder().issuer(iss).audience(audience).jwksUri(jwks)
                .build();
        ObjectNode view = Api.JSON.createObjectNode();
        try {
            MandateToken checked = checker.validate(value);
            List<String> missing = checked.missing(scopes);
            if (!missing.isEmpty()) {
                throw BadTokenException.insufficientScope(missing);
            }
            view.put("valid", true);
            view.put("subject", checked.subject());
            view.put("tenant_id", checked.tenantId());
            view.put("agent_id", checked.agentId());
            view.set("scopes", Api.JSON.valueToTree(checked.scopes()));
            view.set("act", Api.JSON.valueToTree(checked.actors()));
            view.put("dpop_bound", checked.dpopBound());
            view.put("expires_at", checked.expiresAt().toString());
        } catch (BadTokenException e) {
            view.put("valid", false);
            view.put("error", e.error());
            view.put("reason", e.description());
        } catch (JwksCache.KeysUnavailableException e) {
            err().println("error: " + e.getMessage());
            return Exit.UNAVAILABLE;
        }
        boolean valid = view.get("valid").asBoolean();
        if (output().json()) {
            out().println(Output.pretty(view));
        } else if (valid) {
            out().printf("valid: sub %s, tenant %s, scopes %s%s, expires %s (%s)%n", view.get("subject").asText(),
                    view.get("tenant_id").asText(), view.get("scopes"), view.get("act").isEmpty() ? ""
                            : ", acting " + view.get("act"), view.get("expires_at").asText(),
                    TokenDecode.relative(java.time.Duration.between(java.time.Instant.now(),
                            java.time.Instant.parse(view.get("expires_at").asText()))));
        } else {
            out().println("invalid: " + view.get("reason").asText());
        }
        return valid ? Exit.OK : Exit.REFUSED;
    }
}
