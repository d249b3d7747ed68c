package io.mandate.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keycloak (unpacked from Maven Central by the build) as the enterprise IdP Mandate's sign-in page offers:
 * {@code kc.sh start-dev} on 18180, a realm {@value #REALM} with Mandate as a confidential client whose
 * redirect URI is token-service's {@code /signin/idp/callback}, and people created in it by the tests.
 */
final class Keycloak {

    static final int PORT = 18180;
    static final String REALM = "acme";
    static final String ISSUER = "http://127.0.0.1:" + PORT + "/realms/" + REALM;
    static final String CLIENT_ID = "mandate";
    static final String CLIENT_SECRET = "mandate-at-acme";

    private static Process process;
    private static boolean configured;

    private Keycloak() {
    }

    /** Starts Keycloak (it comes up while the services do); {@link #realm()} waits for it. */
    static synchronized void start() throws IOException {
        if (process != null) {
            return;
        }
        Path home = Path.of(System.getProperty("mandate.keycloak.home", "target/keycloak/keycloak-26.7.3"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home + " (./mvnw verify -pl e2e unpacks it)");
        }
        Path log = Path.of("target", "logs", "keycloak.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + PORT, "--http-management-port=" + (PORT + 1), "--hostname-strict=false")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin",
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m"));
        process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }));
    }

    /** The realm, once Keycloak answers: Mandate registered as a client (idempotent across runs). */
    static synchronized void realm() {
        if (configured) {
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/realms/master")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        created(admin(), "/admin/realms", Map.of("realm", REALM, "enabled", true));
        created(admin(), "/admin/realms/" + REALM + "/clients", Map.of("clientId", CLIENT_ID, "secret", CLIENT_SECRET,
                "publicClient", false, "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
                "redirectUris", List.of("http://127.0.0.1:18080/signin/idp/callback")));
        configured = true;
    }

    /** A person at the IdP with a verified email and a password. */
    static void person(String username, String email, String password) {
        created(admin(), "/admin/realms/" + REALM + "/users", Map.of("username", username, "email", email,
                "emailVerified", true, "enabled", true, "firstName", "Dana", "lastName", "Acme",
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    private static String admin() {
        return given().baseUri("http://127.0.0.1:" + PORT).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", "admin").formParam("password", "admin")
                .post("/realms/master/protocol/openid-connect/token").then().statusCode(200).extract().path("access_token");
    }

    /** 201, or 409: there from an earlier run (Keycloak keeps its dev database under its folder). */
    private static void created(String admin, String path, Map<String, Object> body) {
        int status = given().baseUri("http://127.0.0.1:" + PORT).header("Authorization", "Bearer " + admin)
                .contentType(ContentType.JSON).body(body).post(path).statusCode();
        if (status != 201 && status != 409) {
            throw new IllegalStateException("Keycloak answered " + status + " to POST " + path);
        }
    }
}
