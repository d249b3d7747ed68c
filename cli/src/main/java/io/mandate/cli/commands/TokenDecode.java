package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTParser;
import io.mandate.cli.Api;
import io.mandate.cli.Exit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Shows a token's header and claims, offline. Nothing is checked: `mandate token verify` does that."})
class TokenDecode extends BaseCommand {

    @Parameters(arity = "0..1", paramLabel = "TOKEN", description = "The token, or - (the default) for standard input.")
    String token;

    @Override
    public Integer call() throws Exception {
        var jwt = JWTParser.parse(TokenInput.read(token));
        ObjectNode view = Api.JSON.createObjectNode();
        view.set("header", Api.JSON.readTree(jwt.getHeader().toString()));
        view.set("claims", ordered(Api.JSON.readTree(jwt.getJWTClaimsSet().toString())));
        if (output().json()) {
            return show(view);
        }
        out().println("header");
        print(view.get("header"), false);
        out().println("claims (not verified)");
        print(view.get("claims"), true);
        return Exit.OK;
    }

    private void print(JsonNode object, boolean times) {
        Instant now = Instant.now();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String value = field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString();
            if (times && field.getValue().isNumber() && (field.getKey().equals("exp") || field.getKey().equals("iat")
                    || field.getKey().equals("nbf"))) {
                Instant at = Instant.ofEpochSecond(field.getValue().asLong());
                value += "  (" + at + ", " + relative(Duration.between(now, at)) + ")";
            }
            out().printf("  %-16s %s%n", field.getKey(), value);
        }
    }

    /** RFC 7519's registered claims first, in their usual order, then the others by name. */
    private static ObjectNode ordered(JsonNode claims) {
        ObjectNode sorted = Api.JSON.createObjectNode();
        for (String name : List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti")) {
            if (claims.has(name)) {
                sorted.set(name, claims.get(name));
            }
        }
        List<String> rest = new ArrayList<>();
        claims.fieldNames().forEachRemaining(rest::add);
        rest.stream().sorted().filter(name -> !sorted.has(name)).forEach(name -> sorted.set(name, claims.get(name)));
        return sorted;
    }

    static String relative(Duration d) {
        long seconds = Math.abs(d.getSeconds());
        String span = seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
        return d.isNegative() ? span + " ago" : "in " + span;
    }
}
