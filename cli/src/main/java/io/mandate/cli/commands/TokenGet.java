package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import io.mandate.cli.Secrets;
import io.mandate.cli.Session;
import io.mandate.cli.UsageException;
import io.mandate.client.AccessToken;
import io.mandate.client.ClientCredentials;
import io.mandate.client.DpopKey;
import io.mandate.client.MandateClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Gets an agent's access token (client_credentials).",
                "With its API key or its private key (private_key_jwt), optionally bound to a DPoP key.",
                "The API key comes from standard input or a file, never the command line."})
class TokenGet extends BaseCommand {

    @Option(names = "--client-id", paramLabel = "AGENT_ID", description = "The agent (default: MANDATE_CLIENT_ID).")
    String clientId;
    @Option(names = "--secret-stdin", description = "Read the API key from standard input.")
    boolean secretStdin;
    @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the API key from this file.")
    Path secretFile;
    @Option(names = "--private-key-file", paramLabel = "FILE",
            description = "Sign in with private_key_jwt: a private JWK (EC P-256 or RSA) whose public half is registered.")
    Path privateKeyFile;
    @Option(names = "--dpop", description = "Bind the token to a new DPoP key (gone when the command ends).")
    boolean dpop;
    @Option(names = "--dpop-key-file", paramLabel = "FILE",
            description = "Bind the token to the P-256 key in this file (made there if missing), to use the token after.")
    Path dpopKeyFile;
    @Option(names = "--scope", description = "Space-separated scopes (default: all the agent holds).")
    String scope;
    @Option(names = "--resource", paramLabel = "URI", description = "The API the token is for (RFC 8707).")
    String resource;
    @Option(names = "--raw", description = "Print the access token alone (for scripts).")
    boolean raw;

    @Override
    public Integer call() throws Exception {
        Session session = session();
        String agent = clientId != null ? clientId : System.getenv("MANDATE_CLIENT_ID");
        if (agent == null) {
            throw new UsageException("which agent? pass --client-id or set MANDATE_CLIENT_ID");
        }
        ClientCredentials credentials = privateKeyFile != null
                ? ClientCredentials.privateKey(agent, JWK.parse(Files.readString(privateKeyFile)))
                : ClientCredentials.secret(agent, Secrets.read(secretFile, secretStdin, "API key"));
        MandateClient.Builder builder = MandateClient.builder().issuer(URI.create(session.requireUrl()))
                .tokenEndpoint(URI.create(session.endpoint(Session.Service.TOKEN) + "/oauth2/token"))
                .credentials(credentials);
        if (dpopKeyFile != null) {
            builder.dpop(DpopKey.of(dpopKey(dpopKeyFile)));
        } else if (dpop) {
            builder.dpop(DpopKey.generate());
        }
        MandateClient client = builder.build();
        AccessToken token = client.token(scope, resource);
        if (raw) {
            out().println(token.value());
            return Exit.OK;
        }
        ObjectNode view = Api.JSON.createObjectNode();
        view.put("access_token", token.value());
        view.put("token_type", token.tokenType());
        view.put("expires_at", token.expiresAt().toString());
        view.put("scope", String.join(" ", token.scopes()));
        if (client.dpopThumbprint() != null) {
            view.put("dpop_jkt", client.dpopThumbprint());
        }
        return show(view);
    }

    /** The P-256 key kept in {@code file}, made (readable by its owner only) when the file does not exist. */
    static ECKey dpopKey(Path file) throws Exception {
        if (Files.exists(file)) {
            JWK key = JWK.parse(Files.readString(file));
            if (!(key instanceof ECKey ec) || !key.isPrivate()) {
                throw new UsageException(file + " does not hold a private EC key");
            }
            return ec;
        }
        ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
        Secrets.writePrivate(file, key.toJSONString());
        return key;
    }
}
