import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long after a revocation request returns a delegated token introspects inactive at token-service
 * (target: < 1 s p99). Against the local stack (deploy/local/mandate start), 127.0.0.1 only.
 *
 *   java bench/RevocationLatency.java ADMIN_TOKEN [rounds=200] [mode=grant|agent]
 *
 * grant: the human revokes the grant at delegation-service (delegation.revoked → token-service).
 * agent: identity-service revokes the delegate (agent.revoked → delegation-service revokes its grants →
 *        delegation.revoked → token-service): three services, two Kafka hops.
 * Each round: grant, exchange (RFC 8693), revoke, then introspect every 5 ms until inactive.
 */
public class RevocationLatency {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String admin;

    public static void main(String[] args) throws Exception {
        admin = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String mode = args.length > 2 ? args[2] : "grant";
        String username = "bench-" + Long.toString(System.nanoTime(), 36);
        String password = "correct horse battery staple";
        expect(201, post("http://127.0.0.1:8081/v1/users", "Bearer " + admin, "application/json",
                "{\"username\":\"" + username + "\",\"email\":\"" + username + "@example.com\",\"password\":\""
                        + password + "\",\"roles\":[\"owner\"],\"permissions\":[\"crm:*:*\"]}"));
        String owner = null;
        while (owner == null) {
            HttpResponse<String> login = post("http://127.0.0.1:8080/v1/auth/login", null, "application/json",
                    "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
            owner = login.statusCode() == 200 ? "Bearer " + field(login.body(), "token") : null;
            Thread.sleep(owner == null ? 100 : 0);
        }
        String[] resourceServer = register("bench-rs");
        String[] lender = register("bench-lender");
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String[] agent = mode.equals("agent") ? register("bench-delegate-" + i) : lender;
            HttpResponse<String> grant;
            do { // right after registration delegation-service may not know the agent yet
                grant = post("http://127.0.0.1:8082/v1/delegations", owner, "application/json",
                        "{\"agent_id\":\"" + agent[0] + "\",\"scopes\":[\"crm:contacts:read\"],\"expires_in\":600}");
            } while (grant.statusCode() == 404 || grant.body().contains("authority_unknown"));
            expect(201, grant);
            String delegationId = field(grant.body(), "id");
            HttpResponse<String> exchanged = post("http://127.0.0.1:8080/oauth2/token", basic(agent),
                    "application/x-www-form-urlencoded",
                    "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                            + "&subject_token_type=" + enc("urn:mandate:params:oauth:token-type:delegation")
                            + "&subject_token=" + enc(field(grant.body(), "delegation_token")));
            expect(200, exchanged);
            String token = field(exchanged.body(), "access_token");
            if (!active(resourceServer, token)) {
                throw new IllegalStateException("fresh delegated token inactive");
            }
            HttpResponse<String> revoke = mode.equals("agent")
                    ? post("http://127.0.0.1:8081/v1/agents/" + agent[0] + "/revoke", "Bearer " + admin, "application/json", "")
                    : post("http://127.0.0.1:8082/v1/delegations/" + delegationId + "/revoke", owner, "application/json", "");
            expect(200, revoke);
            long revokedAt = System.nanoTime();
            while (active(resourceServer, token)) {
                if (System.nanoTime() - revokedAt > 30_000_000_000L) {
                    throw new IllegalStateException("still active after 30 s");
                }
                Thread.sleep(5);
            }
            micros.add((System.nanoTime() - revokedAt) / 1000);
        }
        Collections.sort(micros);
        System.out.printf("revocation mode=%s rounds=%d inactive-after p50=%.0fms p90=%.0fms p99=%.0fms max=%.0fms%n",
                mode, rounds, pct(micros, 50), pct(micros, 90), pct(micros, 99), micros.get(micros.size() - 1) / 1000.0);
    }

    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1000.0;
    }

    static String[] register(String name) throws Exception {
        HttpResponse<String> r = post("http://127.0.0.1:8081/v1/agents", "Bearer " + admin, "application/json",
                "{\"name\":\"" + name + "\",\"owner_email\":\"bench@example.com\",\"tier\":\"enterprise\",\"permissions\":[\"crm:contacts:read\"]}");
        expect(201, r);
        return new String[] {field(r.body(), "id"), field(r.body(), "api_key")};
    }

    static boolean active(String[] caller, String token) throws Exception {
        HttpResponse<String> r = post("http://127.0.0.1:8080/oauth2/introspect", basic(caller),
                "application/x-www-form-urlencoded", "token=" + enc(token));
        expect(200, r);
        return r.body().contains("\"active\":true");
    }

    static HttpResponse<String> post(String url, String authorization, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The first string value of {@code name} in a JSON document (enough for these answers). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String basic(String[] agent) {
        return "Basic " + Base64.getEncoder().encodeToString((agent[0] + ":" + agent[1]).getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
