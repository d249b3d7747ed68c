package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.EVENT_TIMEOUT;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.e2e.Platform.Agent;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole MCP picture: the example MCP server (examples/mcp-server, the official MCP TypeScript SDK) protected
 * by Mandate, and the SDK's own client with its OAuth support, which nobody here wrote. The client discovers
 * Mandate from the server's 401 and metadata, identifies itself by a Client ID Metadata Document it serves on
 * loopback, the person signs in and consents in Chromium, and the client calls tools. A token for another
 * resource is refused; revoking the consent in Mandate ends the client's access within a second.
 */
class McpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "mcp-server");
    private static final Path CLIENT = Path.of("target", "mcp-client");
    private static final int MCP_PORT = 18091;
    /** The server's URI, new for each run: a URI names one resource on the platform, and the database outlives runs. */
    private static final String MCP_PATH = "/notes-" + Long.toString(System.nanoTime(), 36);
    private static final String MCP_URL = "http://127.0.0.1:" + MCP_PORT + MCP_PATH;
    private static final String PASSWORD = "correct horse battery staple";

    private static final List<Process> PROCESSES = new ArrayList<>();

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
        npm(EXAMPLE, "ci");
        npm(EXAMPLE, "run", "build");
        Files.createDirectories(CLIENT);
        for (String file : List.of("package.json", "package-lock.json", "client.mjs")) {
            Files.copy(Path.of("src", "test", "mcp", file), CLIENT.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        npm(CLIENT, "ci");
    }

    @AfterAll
    static void stop() {
        PROCESSES.forEach(Process::destroyForcibly);
    }

    private static void npm(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("npm"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("--no-audit", "--no-fund", "--loglevel=error"));
        Process npm = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            throw new IllegalStateException(command + " in " + dir + " failed: " + out);
        }
    }

    /** A process whose stdout lines (JSON objects) arrive in {@code lines}. */
    record Running(Process process, BlockingQueue<String> lines) {

        static Running start(ProcessBuilder builder) throws IOException {
            Process process = builder.redirectErrorStream(true).start();
            PROCESSES.add(process);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    in.lines().forEach(line -> {
                        System.out.println("[mcp] " + line);
                        lines.add(line);
                    });
                } catch (IOException e) {
                    lines.add("{\"event\":\"closed\"}");
                }
            }, "mcp-output");
            reader.setDaemon(true);
            reader.start();
            return new Running(process, lines);
        }

        /** The next JSON line {@code wanted} accepts (others are skipped), within {@code timeout}. */
        JsonNode next(Predicate<JsonNode> wanted, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("nothing expected arrived within " + timeout);
                }
                if (line.startsWith("{")) {
                    JsonNode event = JSON.readTree(line);
                    if ("failed".equals(event.path("event").asText())) {
                        throw new AssertionError("the MCP client failed: " + event.path("error").asText());
                    }
                    if (wanted.test(event)) {
                        return event;
                    }
                }
            }
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    private static Predicate<JsonNode> event(String name) {
        return event -> name.equals(event.path("event").asText());
    }

    /** identity-service as the platform admin acting in {@code tenant}. */
    private static RequestSpecification admin(String tenant) {
        return given().baseUri(identity.url()).header("Authorization", ADMIN).header("Mandate-Tenant", tenant)
                .contentType(ContentType.JSON);
    }

    @Test
    void anMcpClientNobodyHereWroteSignsThePersonInAndCallsToolsUntilTheConsentIsRevoked() throws Exception {
        String tenant = given().baseUri(identity.url()).header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", "mcp " + Long.toString(System.nanoTime(), 36))).post("/v1/tenants")
                .then().statusCode(201).extract().path("id");
        admin(tenant).body(Map.of("uri", MCP_URL, "name", "Notes MCP server", "scopes", List.of(
                Map.of("scope", "notes:read", "description", "Read your notes"),
                Map.of("scope", "notes:write", "description", "Write notes for you", "implies", List.of("notes:read")))))
                .post("/v1/resources").then().statusCode(201);
        String other = "https://other-" + Long.toString(System.nanoTime(), 36) + ".example.com/mcp";
        admin(tenant).body(Map.of("uri", other, "scopes", List.of(Map.of("scope", "notes:read"))))
                .post("/v1/resources").then().statusCode(201);
        String username = "mcp-person-" + Long.toString(System.nanoTime(), 36);
        admin(tenant).body(Map.of("username", username, "email", username + "@example.com",
                "password", PASSWORD, "roles", List.of("owner"), "permissions", List.of("notes:write")))
                .post("/v1/users").then().statusCode(201);
        Response server = admin(tenant).body(Map.of("name", "notes-mcp-server",
                "owner_email", "ops@example.com", "permissions", List.of("notes:read"))).post("/v1/agents");
        Agent mcpServer = new Agent(server.path("agent.id"), server.path("credentials.api_key"));

        ProcessBuilder serverProcess = new ProcessBuilder("node", "dist/server.js").directory(EXAMPLE.toFile());
        serverProcess.environment().putAll(Map.of("PORT", Integer.toString(MCP_PORT), "MANDATE_ISSUER", token.url(),
                "MCP_RESOURCE", MCP_URL, "MANDATE_CLIENT_ID", mcpServer.id(), "MANDATE_CLIENT_SECRET", mcpServer.apiKey()));
        Running.start(serverProcess);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> given().post(MCP_URL).statusCode() == 401);
        // Without a token: 401, and where to learn how to get one (RFC 9728 §5.1).
        given().contentType(ContentType.JSON).body("{}").post(MCP_URL).then().statusCode(401)
                .header("WWW-Authenticate", containsString(
                        "resource_metadata=\"http://127.0.0.1:" + MCP_PORT + "/.well-known/oauth-protected-resource" + MCP_PATH + "\""));
        given().get("http://127.0.0.1:" + MCP_PORT + "/.well-known/oauth-protected-resource" + MCP_PATH).then().statusCode(200)
                .body("resource", equalTo(MCP_URL)).body("authorization_servers[0]", equalTo(token.url()));

        ProcessBuilder clientProcess = new ProcessBuilder("node", "client.mjs").directory(CLIENT.toFile());
        clientProcess.environment().putAll(Map.of("MCP_URL", MCP_URL, "PERSON_USERNAME", username,
                "PERSON_PASSWORD", PASSWORD,
                "TLS_KEY", Platform.CLIENT_TLS.resolve("key.pem").toAbsolutePath().toString(),
                "TLS_CERT", Platform.CLIENT_TLS.resolve("cert.pem").toAbsolutePath().toString(),
                "SCREENSHOT", Path.of("..", "docs", "screenshots", "mcp-consent.png").toAbsolutePath().toString()));
        Running client = Running.start(clientProcess);
        JsonNode authorize = client.next(event("authorize"), Duration.ofSeconds(60));
        assertTrue(authorize.path("url").asText().startsWith(token.url() + "/oauth2/authorize?"), authorize.toString());
        assertTrue(authorize.path("url").asText().contains("resource=" + java.net.URLEncoder.encode(MCP_URL,
                StandardCharsets.UTF_8)), "the client asks for the resource the metadata named");
        JsonNode consentPage = client.next(event("consent_page"), Duration.ofSeconds(60));
        assertTrue(consentPage.path("text").asText().contains("E2E notes client"), consentPage.toString());
        assertTrue(consentPage.path("text").asText().contains("described by its own document at 127.0.0.1"),
                consentPage.toString());
        JsonNode connected = client.next(event("connected"), Duration.ofSeconds(60));
        assertTrue(connected.path("client_id").asText().startsWith("https://127.0.0.1:"), connected.toString());
        assertEquals("saved note 1", client.next(event("tool"), Duration.ofSeconds(30)).path("text").asText());
        assertEquals("[\"buy milk\"]", client.next(event("tool"), Duration.ofSeconds(30)).path("text").asText());
        JsonNode ready = client.next(event("ready"), Duration.ofSeconds(30));
        String accessToken = ready.path("access_token").asText();
        var claims = com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet();
        assertEquals(List.of(MCP_URL), claims.getAudience());
        assertEquals(tenant, claims.getStringClaim("tenant_id"));

        // A token for another resource of the same tenant, with the same scope, is not for this server.
        Response stranger = admin(tenant).body(Map.of("name", "stranger", "owner_email",
                "ops@example.com", "permissions", List.of("notes:read"))).post("/v1/agents");
        String otherToken = await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> given()
                .baseUri(token.url()).auth().preemptive().basic(stranger.path("agent.id"), stranger.path("credentials.api_key"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("resource", other).post("/oauth2/token"), r -> r.statusCode() == 200).path("access_token");
        given().header("Authorization", "Bearer " + otherToken).contentType(ContentType.JSON)
                .accept("application/json, text/event-stream")
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/list")).post(MCP_URL).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));

        // The person revokes the consent in Mandate: the client's next call fails within a second.
        String person = "Bearer " + given().baseUri(token.url()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD)).post("/v1/auth/login")
                .then().statusCode(200).extract().path("token");
        String grant = claims.getStringClaim("delegation_id");
        client.send("call");
        assertTrue(client.next(event("call"), Duration.ofSeconds(30)).path("ok").asBoolean(), "works before revoking");
        given().baseUri(delegation.url()).header("Authorization", person).post("/v1/delegations/" + grant + "/revoke")
                .then().statusCode(200);
        long revokedAt = System.nanoTime();
        boolean ended = false;
        while (!ended && System.nanoTime() - revokedAt < Duration.ofSeconds(1).toNanos()) {
            client.send("call");
            ended = !client.next(event("call"), Duration.ofSeconds(5)).path("ok").asBoolean();
        }
        long endedAfterMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.printf("the MCP client's access ended %d ms after the consent was revoked%n", endedAfterMs);
        assertTrue(ended, "access still works " + endedAfterMs + " ms after the revocation");
        client.send("quit");
    }
}
