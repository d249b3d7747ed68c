package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN_TOKEN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code mandate} command line as a process against the platform: what it prints and its exit codes, from a
 * newcomer's first commands to grants, webhooks, the audit trail and the token checks.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";
    private static Path home;

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
        home = Files.createTempDirectory(Path.of("target"), "cli");
    }

    /** A profile file of its own, signed in as the platform admin and working in a new tenant. */
    private static Cli adminInNewTenant(String name) throws Exception {
        Cli cli = new Cli(Files.createTempDirectory(home, name));
        cli.runWithInput(ADMIN_TOKEN, "login", "--token-stdin").expect(0);
        String tenant = json(cli.run("tenants", "create", name + " " + Long.toString(System.nanoTime(), 36), "-o", "json")
                .expect(0)).path("id").asText();
        cli.run("config", "set", "--tenant", tenant).expect(0);
        return cli;
    }

    @Test
    void aNewcomerSignsInRegistersAnAgentAndChecksItsToken() throws Exception {
        Cli cli = new Cli(Files.createTempDirectory(home, "newcomer"));
        assertTrue(cli.run("--help").expect(0).out().contains("Exit codes:"));
        Cli.Result notSignedIn = cli.run("agents", "list").expect(3);
        assertTrue(notSignedIn.err().contains("not_signed_in"), notSignedIn.err());

        cli.runWithInput(ADMIN_TOKEN, "login", "--token-stdin").expect(0);
        String tenant = json(cli.run("tenants", "create", "newcomer " + System.nanoTime(), "-o", "json").expect(0))
                .path("id").asText();
        cli.run("config", "set", "--tenant", tenant).expect(0);
        cli.run("permissions", "add", "reports:read", "--description", "Read reports").expect(0);
        JsonNode registered = json(cli.run("agents", "register", "--name", "report-bot", "--owner-email",
                "alice@example.com", "--permission", "reports:read", "-o", "json").expect(0));
        String agent = registered.path("agent").path("id").asText();
        String apiKey = registered.path("credentials").path("api_key").asText();
        assertTrue(cli.run("agents", "list").expect(0).out().contains(agent));

        String token = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> cli.runWithInput(apiKey, "token", "get", "--client-id", agent, "--secret-stdin", "--raw"),
                        r -> r.exit() == 0).out().strip();
        assertTrue(cli.run("token", "decode", token).expect(0).out().contains("sub              " + agent));
        assertTrue(cli.run("token", "verify", token).expect(0).out().startsWith("valid: sub " + agent));
        assertTrue(cli.run("token", "verify", "--scope", "reports:write", token).expect(1).out()
                .contains("invalid: the access token lacks reports:write"));
        assertTrue(cli.run("token", "verify", "--audience", "https://api.example.com", token).expect(1).out()
                .contains("the token is for [mandate], not https://api.example.com"));

        cli.run("agents", "suspend", agent).expect(0);
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> cli.runWithInput(apiKey, "token",
                "get", "--client-id", agent, "--secret-stdin").exit() == 3);
        cli.run("agents", "reactivate", agent).expect(0);
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> cli.runWithInput(apiKey, "token",
                "get", "--client-id", agent, "--secret-stdin").exit() == 0);
        assertTrue(cli.run("agents", "revoke", agent).expect(0).out().contains("revoked"));
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> cli.runWithInput(apiKey, "token",
                "get", "--client-id", agent, "--secret-stdin").exit() == 3);
        cli.run("agents", "reactivate", agent).expect(1);
        assertTrue(cli.run("permissions", "list").expect(0).out().contains("reports:read"));
        Cli.Result unreachable = cli.run("--url", "http://127.0.0.1:9", "agents", "list");
        assertEquals(5, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().startsWith("error: unreachable"), unreachable.err());
        assertTrue(cli.run("agents", "show", "agt_nobody").expect(4).err().contains("agent_not_found"));
        assertTrue(cli.run("agents", "register", "--name", "x").expect(2).err().contains("--owner-email"));
        assertTrue(cli.run("token", "get", "--client-id", agent, "--secret-stdin").expect(2).err()
                .contains("standard input was empty"));
    }

    @Test
    void aPersonSignsInWithAPasswordAndLendsAuthority() throws Exception {
        Cli admin = adminInNewTenant("lending");
        admin.run("permissions", "add", "reports:read").expect(0);
        String agent = json(admin.run("agents", "register", "--name", "bot", "--owner-email", "carol@example.com",
                "--permission", "reports:read", "-o", "json").expect(0)).path("agent").path("id").asText();
        String username = "carol" + Long.toString(System.nanoTime(), 36);
        admin.runWithInput(PASSWORD, "users", "create", "--username", username, "--email", username + "@example.com",
                "--role", "owner", "--permission", "reports:read", "--password-stdin").expect(0);

        Cli carol = new Cli(Files.createTempDirectory(home, "carol"));
        Cli.Result wrong = carol.runWithInput("not her password", "login", "-u", username, "--password-stdin");
        assertTrue(wrong.exit() == 3 || wrong.exit() == 1, wrong.toString());
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> carol.runWithInput(PASSWORD, "login", "-u", username, "--password-stdin").exit() == 0);
        JsonNode grant = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> carol.run("delegations", "grant", "--agent", agent, "--scope", "reports:read",
                        "--expires-in", "600", "-o", "json"), r -> r.exit() == 0)
                .out().transform(CliIT::json);
        String id = grant.path("delegation").path("id").asText();
        assertTrue(grant.path("delegation_token").asText().startsWith("ey"));
        assertTrue(carol.run("delegations", "list", "--agent", agent).expect(0).out().contains(id));
        assertTrue(carol.run("delegations", "revoke", id).expect(0).out().contains("Revoked " + id));
        JsonNode signedIn = json(carol.run("config", "show", "-o", "json").expect(0)).path("profiles").path("default");
        assertEquals(username, signedIn.path("username").asText());
        assertEquals("(kept)", signedIn.path("token").asText(), "config show never prints the token");
        carol.run("logout").expect(0);
        carol.run("delegations", "list").expect(3);
        assertTrue(!Files.readString(Path.of(json(carol.run("config", "show", "-o", "json").expect(0))
                .path("file").asText())).contains("\"token\""), "the profile forgets the token");
    }

    @Test
    void anAgentsKeysAreRotatedAndAddedAndItsTokensBoundFromTheCommandLine() throws Exception {
        Cli cli = adminInNewTenant("keys");
        cli.run("permissions", "add", "reports:read").expect(0);
        JsonNode registered = json(cli.run("agents", "register", "--name", "keyed", "--owner-email", "erin@example.com",
                "--permission", "reports:read", "-o", "json").expect(0));
        String agent = registered.path("agent").path("id").asText();
        String oldKey = registered.path("credentials").path("api_key").asText();

        String newKey = json(cli.run("agents", "rotate-key", agent, "--grace", "600", "-o", "json").expect(0))
                .path("api_key").asText();
        assertTrue(newKey.startsWith("mnd_sk_") && !newKey.equals(oldKey));
        for (String key : List.of(newKey, oldKey)) {
            await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> cli.runWithInput(key, "token",
                    "get", "--client-id", agent, "--secret-stdin", "--raw").exit() == 0);
        }
        assertTrue(cli.run("agents", "rotate-key", agent).expect(2).err().contains("2 active API keys"),
                "with two keys active, the command asks which");

        Path folder = Files.createTempDirectory(home, "jwk");
        Path jwk = folder.resolve("agent.jwk");
        Files.writeString(jwk, new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate()
                .toJSONString());
        cli.run("agents", "add-public-key", agent, "--jwk-file", jwk.toString()).expect(0);
        String signedIn = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> cli.run("token", "get", "--client-id", agent, "--private-key-file", jwk.toString(), "--raw"),
                        r -> r.exit() == 0).out().strip();
        assertTrue(cli.run("token", "verify", signedIn).expect(0).out().startsWith("valid: sub " + agent));
        String credentials = cli.run("agents", "show", agent).expect(0).out();
        assertEquals(3, credentials.lines().filter(line -> line.contains("active")).count() - 1, credentials);

        Path dpop = folder.resolve("dpop.jwk");
        JsonNode bound = json(cli.runWithInput(newKey, "token", "get", "--client-id", agent, "--secret-stdin",
                "--dpop-key-file", dpop.toString(), "-o", "json").expect(0));
        assertEquals("DPoP", bound.path("token_type").asText());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dpop)));
        JsonNode again = json(cli.runWithInput(newKey, "token", "get", "--client-id", agent, "--secret-stdin",
                "--dpop-key-file", dpop.toString(), "-o", "json").expect(0));
        assertEquals(bound.path("dpop_jkt").asText(), again.path("dpop_jkt").asText(), "the kept key binds again");
        assertTrue(cli.run("token", "decode", again.path("access_token").asText()).expect(0).out()
                .contains(bound.path("dpop_jkt").asText()));
    }

    @Test
    void aPersonAnswersAnAgentsRequestsFromTheCommandLine() throws Exception {
        Cli admin = adminInNewTenant("requests");
        admin.run("permissions", "add", "reports:read").expect(0);
        JsonNode registered = json(admin.run("agents", "register", "--name", "asker", "--owner-email", "fay@example.com",
                "--permission", "reports:read", "-o", "json").expect(0));
        String agent = registered.path("agent").path("id").asText();
        String apiKey = registered.path("credentials").path("api_key").asText();
        String username = "fay" + Long.toString(System.nanoTime(), 36);
        String person = json(admin.runWithInput(PASSWORD, "users", "create", "--username", username, "--email",
                username + "@example.com", "--role", "owner", "--permission", "reports:read", "--password-stdin", "-o",
                "json").expect(0)).path("id").asText();
        String agentToken = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> admin.runWithInput(apiKey, "token", "get", "--client-id", agent, "--secret-stdin", "--raw"),
                        r -> r.exit() == 0).out().strip();
        java.util.function.Supplier<String> ask = () -> await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> io.restassured.RestAssured.given().baseUri(Platform.delegation.url())
                        .header("Authorization", "Bearer " + agentToken).contentType("application/json")
                        .body(java.util.Map.of("user_id", person, "scopes", List.of("reports:read"), "purpose",
                                "the weekly report", "expires_in", 3600)).post("/v1/delegations/requests"),
                        r -> r.statusCode() == 201).path("id");
        String first = ask.get();
        String second = ask.get();

        Cli fay = new Cli(Files.createTempDirectory(home, "fay"));
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> fay.runWithInput(PASSWORD, "login", "-u", username, "--password-stdin").exit() == 0);
        String pending = fay.run("delegations", "requests").expect(0).out();
        assertTrue(pending.contains(first) && pending.contains(second) && pending.contains("the weekly report"), pending);
        JsonNode approved = json(fay.run("delegations", "approve", first, "--expires-in", "600", "-o", "json").expect(0));
        assertEquals("approved", approved.path("request").path("status").asText());
        assertEquals("active", approved.path("delegation").path("status").asText());
        assertEquals(person, approved.path("delegation").path("user_id").asText());
        assertEquals("denied", json(fay.run("delegations", "deny", second, "-o", "json").expect(0)).path("status").asText());
        assertTrue(fay.run("delegations", "list", "--agent", agent).expect(0).out().contains("active"));
        fay.run("delegations", "approve", second).expect(1);
    }

    @Test
    void aPersonSignsTheCommandLineInThroughTheBrowser() throws Exception {
        Cli admin = adminInNewTenant("device");
        String username = "gil" + Long.toString(System.nanoTime(), 36);
        admin.runWithInput(PASSWORD, "users", "create", "--username", username, "--email", username + "@example.com",
                "--role", "tenant_admin", "--password-stdin").expect(0);

        Cli gil = new Cli(Files.createTempDirectory(home, "gil"));
        Process login = gil.spawn("login", "--browser", "--no-open");
        java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(login.getInputStream(),
                StandardCharsets.UTF_8));
        String first = said.readLine();
        assertTrue(first != null && first.startsWith("Open " + Platform.token.url() + "/device?code="), first);
        String url = first.substring("Open ".length());
        String code = url.substring(url.indexOf("code=") + 5);
        assertTrue(said.readLine().contains("approve the code " + code));

        org.openqa.selenium.chrome.ChromeDriver browser = Chromium.start();
        try {
            await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
                browser.get(url);
                if (!browser.getCurrentUrl().contains("/signin")) {
                    return false;
                }
                browser.findElement(org.openqa.selenium.By.id("username")).sendKeys(username);
                browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(PASSWORD);
                browser.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
                return browser.getCurrentUrl().contains("/device?code=");
            });
            assertEquals(code, browser.findElement(org.openqa.selenium.By.id("device-code")).getText());
            Chromium.screenshots(browser, "device");
            browser.findElement(org.openqa.selenium.By.cssSelector("button[value=approve]")).click();
            assertTrue(browser.findElement(org.openqa.selenium.By.tagName("main")).getText()
                    .contains("The command line is signed in as you"));
        } finally {
            browser.quit();
        }
        assertTrue(login.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "login --browser did not finish");
        String rest = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, login.exitValue(), rest);
        assertTrue(rest.contains("Signed in as " + username), rest);
        assertEquals(username, json(gil.run("users", "show", "me", "-o", "json").expect(0)).path("username").asText());
        gil.run("users", "list").expect(0);
    }

    @Test
    void tokenVerifyRefusesTheAttackSetMintTestMakes() throws Exception {
        Cli cli = new Cli(Files.createTempDirectory(home, "mint"));
        Path keys = Files.createTempDirectory(home, "keys");
        String[] trust = {"--jwks-file", keys.resolve("jwks.json").toString(), "--issuer", "https://mandate-test.invalid"};
        String genuine = cli.run("token", "mint-test", "--keys", keys.toString(), "--scope", "reports:read").expect(0)
                .out().strip();
        assertTrue(cli.run("token", "verify", trust[0], trust[1], trust[2], trust[3], genuine).expect(0).out()
                .startsWith("valid: sub agt_test"));

        List<String[]> refused = List.of(
                new String[] {"alg-none", "alg none"},
                new String[] {"hs256-public-key", "alg HS256 is refused"},
                new String[] {"unknown-kid", "kid unknown is not one of Mandate's signing keys"},
                new String[] {"jku", "names its own key"},
                new String[] {"x5u", "names its own key"},
                new String[] {"embedded-jwk", "names its own key"},
                new String[] {"wrong-typ", "typ is JWT"},
                new String[] {"stripped-signature", "not a signed JWT"},
                new String[] {"bad-signature", "signature does not verify"},
                new String[] {"oversized", "too large"});
        for (String[] attack : refused) {
            String forged = cli.run("token", "mint-test", "--keys", keys.toString(), "--attack", attack[0]).expect(0)
                    .out().strip();
            Cli.Result result = cli.run("token", "verify", trust[0], trust[1], trust[2], trust[3], forged).expect(1);
            assertTrue(result.out().contains(attack[1]), attack[0] + ": " + result.out());
        }
        for (String[] other : List.of(new String[] {"--expired", "expired at"},
                new String[] {"--not-yet-valid", "not valid before"},
                new String[] {"--aud=https://elsewhere.example", "is for [https://elsewhere.example]"},
                new String[] {"--iss=https://evil.example", "from issuer https://evil.example"})) {
            String token = cli.run("token", "mint-test", "--keys", keys.toString(), other[0]).expect(0).out().strip();
            assertTrue(cli.run("token", "verify", trust[0], trust[1], trust[2], trust[3], token).expect(1).out()
                    .contains(other[1]), other[0]);
        }
        assertTrue(cli.run("token", "mint-test", "--keys", keys.toString()).err().contains("never accept it in production"));
        assertTrue(Files.readString(keys.resolve("jwks.json")).contains("\"kty\":\"EC\""));
        assertTrue(!Files.readString(keys.resolve("jwks.json")).contains("\"d\""), "the JWKS holds no private part");
        // A genuine token from the test key is refused by the real Mandate's keys.
        cli.run("token", "verify", genuine).expect(1);
    }

    @Test
    void webhooksAreManagedAndADeliveryIsVerified() throws Exception {
        Cli cli = adminInNewTenant("hooks");
        AtomicReference<String> headers = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            StringBuilder saved = new StringBuilder();
            exchange.getRequestHeaders().forEach((name, values) -> saved.append(name).append(": ").append(values.get(0))
                    .append('\n'));
            body.set(exchange.getRequestBody().readAllBytes());
            headers.set(saved.toString());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            JsonNode endpoint = json(cli.run("webhooks", "create", "--endpoint", "http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook", "--event", "agent.*", "-o", "json").expect(0));
            String id = endpoint.path("id").asText();
            String secret = endpoint.path("secret").asText();
            assertTrue(secret.startsWith("whsec_"));
            assertTrue(cli.run("webhooks", "list").expect(0).out().contains(id));
            cli.run("webhooks", "test", id).expect(0);
            await().atMost(EVENT_TIMEOUT).until(() -> body.get() != null);

            Path saved = Files.createTempDirectory(home, "delivery");
            Files.writeString(saved.resolve("headers.txt"), headers.get());
            Files.write(saved.resolve("body.json"), body.get());
            Files.writeString(saved.resolve("secret"), secret);
            String[] verify = {"webhook", "verify", "--headers", saved.resolve("headers.txt").toString(), "--body",
                    saved.resolve("body.json").toString(), "--secret-file", saved.resolve("secret").toString()};
            assertTrue(cli.run(verify).expect(0).out().startsWith("valid"));
            Files.writeString(saved.resolve("body.json"), new String(body.get(), StandardCharsets.UTF_8)
                    .replace("webhook.test", "webhook.tested"));
            assertTrue(cli.run(verify).expect(1).out().contains("no v1 signature matches"));
            Files.writeString(saved.resolve("secret"), "whsec_" + java.util.Base64.getEncoder()
                    .encodeToString(new byte[32]));
            Files.write(saved.resolve("body.json"), body.get());
            cli.run(verify).expect(1);

            String messages = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                    .until(() -> cli.run("webhooks", "messages", id, "-o", "json").expect(0).out(),
                            out -> out.contains("\"delivered\""));
            String message = json(messages).path("items").get(0).path("id").asText();
            assertTrue(cli.run("webhooks", "attempts", id).expect(0).out().contains("204"));
            body.set(null);
            cli.run("webhooks", "redeliver", id, message).expect(0);
            await().atMost(EVENT_TIMEOUT).until(() -> body.get() != null);
            String rotated = json(cli.run("webhooks", "rotate-secret", id, "-o", "json").expect(0)).path("secret").asText();
            assertTrue(rotated.startsWith("whsec_") && !rotated.equals(secret));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void theAuditTrailIsQueriedFollowedExportedAndCheckedOffline() throws Exception {
        Cli cli = adminInNewTenant("audit");
        cli.run("permissions", "add", "reports:read").expect(0);
        JsonNode registered = json(cli.run("agents", "register", "--name", "audited", "--owner-email", "dan@example.com",
                "--permission", "reports:read", "-o", "json").expect(0));
        String agent = registered.path("agent").path("id").asText();
        String apiKey = registered.path("credentials").path("api_key").asText();
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> cli.runWithInput(apiKey, "token",
                "get", "--client-id", agent, "--secret-stdin", "--raw").exit() == 0);

        Cli.Result followed = cli.run("audit", "follow", "--agent", agent, "--type", "agent.verified", "--since", "PT10M",
                "--max-events", "1", "--timeout", "PT30S");
        assertTrue(followed.expect(0).out().contains("agent.verified"), followed.out());
        String query = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(300))
                .until(() -> cli.run("audit", "query", "--agent", agent).expect(0).out(),
                        out -> out.contains("agent.registered"));
        assertTrue(query.contains("agent.verified"), query);

        Path export = Files.createTempDirectory(home, "export");
        assertTrue(cli.run("audit", "export", "--out", export.toString()).expect(0).out().startsWith("Wrote "));
        assertTrue(cli.run("audit", "verify", "--offline", export.toString()).expect(0).out().startsWith("valid: "));
        cli.run("audit", "verify").expect(0);
        Path ocsf = Files.createTempDirectory(home, "ocsf");
        cli.run("audit", "export", "--out", ocsf.toString(), "--format", "ocsf").expect(0);
        assertTrue(Files.readString(ocsf.resolve("export.ocsf.ndjson")).contains("\"class_uid\""));

        // Someone edits the record of the agent's registration in the export: the check names its seq.
        List<String> lines = Files.readAllLines(export.resolve("export.ndjson"));
        int edited = 0;
        while (!lines.get(edited).contains("\"dan@example.com\"")) {
            edited++;
        }
        lines.set(edited, lines.get(edited).replace("\"dan@example.com\"", "\"eve@example.com\""));
        Files.write(export.resolve("export.ndjson"), lines);
        long seq = json(lines.get(edited)).path("seq").asLong();
        Cli.Result broken = cli.run("audit", "verify", "--offline", export.toString()).expect(1);
        assertTrue(broken.out().contains("broken at seq " + seq + ": record changed after it was written"), broken.out());
    }

    private static JsonNode json(Cli.Result result) {
        return json(result.out());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
