package io.mandate.e2e;

import static io.mandate.e2e.Platform.ADMIN;
import static io.mandate.e2e.Platform.audit;
import static io.mandate.e2e.Platform.delegation;
import static io.mandate.e2e.Platform.identity;
import static io.mandate.e2e.Platform.token;
import static io.mandate.e2e.Platform.webhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a 4xx at every service, never a 500, and is never half-stored: NUL characters and
 * unpaired surrogates in JSON, path, query, form and Basic credentials; trailing garbage after a JSON
 * document; a number where text belongs; dates past PostgreSQL's range; chunked bodies over 64 KiB.
 * Sent with the JDK's HTTP client, which sends exactly these bytes.
 */
class BadInputIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    /** A JSON string escape that decodes to NUL, and one that decodes to a lone high surrogate. */
    private static final String NUL = "\\u0000";
    private static final String SURROGATE = "\\ud800";

    @BeforeAll
    static void startPlatform() throws Exception {
        Platform.start();
    }

    private record Probe(String method, String url, String contentType, String body, String authorization) {

        Probe as(String header) {
            return new Probe(method, url, contentType, body, header);
        }
    }

    private static Probe post(ServiceProcess service, String path, String contentType, String body) {
        return new Probe("POST", service.url() + path, contentType, body, ADMIN);
    }

    private static Probe get(ServiceProcess service, String pathAndQuery) {
        return new Probe("GET", service.url() + pathAndQuery, null, null, ADMIN);
    }

    private static HttpResponse<String> send(Probe probe) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(probe.url())).timeout(Duration.ofSeconds(20));
        if (probe.authorization() != null) {
            request.header("Authorization", probe.authorization());
        }
        if (probe.contentType() != null) {
            request.header("Content-Type", probe.contentType());
        }
        request.method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(probe.body()));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every probe gets {@code expected}; the failures are listed together, so one run shows all of them. */
    private static void expect(int expected, List<Probe> probes) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Probe probe : probes) {
            HttpResponse<String> response = send(probe);
            if (response.statusCode() != expected) {
                wrong.add(response.statusCode() + " " + probe.method() + " " + probe.url() + " " + probe.body() + " -> "
                        + response.body());
            }
        }
        assertEquals(List.of(), wrong, "expected " + expected);
    }

    @Test
    void nulAndLoneSurrogatesInJsonAre400Everywhere() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (String bad : List.of(NUL, SURROGATE)) {
            probes.add(post(token, "/v1/auth/login", JSON,
                    "{\"username\":\"a" + bad + "b\",\"password\":\"correct horse\"}").as(null));
            probes.add(post(token, "/v1/auth/verify", JSON, "{\"agent_id\":\"agt_" + bad + "\",\"api_key\":\"k\"}")
                    .as(null));
            probes.add(post(token, "/v1/auth/refresh", JSON, "{\"refresh_token\":\"" + bad + "\"}").as(null));
            probes.add(post(token, "/v1/auth/pgp/challenge", JSON, "{\"agent_id\":\"agt_" + bad + "\"}").as(null));
            probes.add(post(identity, "/v1/tenants", JSON, "{\"name\":\"t" + bad + "\"}"));
            probes.add(post(identity, "/v1/agents", JSON, "{\"name\":\"bot" + bad + "\",\"owner_email\":\"o@example.com\","
                    + "\"permissions\":[\"crm:contacts:read\"]}"));
            probes.add(post(identity, "/v1/agents", JSON, "{\"name\":\"bot\",\"owner_email\":\"o@example.com\","
                    + "\"permissions\":[\"crm:contacts:read\"],\"metadata\":{\"team\":\"a" + bad + "\"}}"));
            probes.add(post(identity, "/v1/users", JSON, "{\"username\":\"u" + bad + "\",\"email\":\"u@example.com\","
                    + "\"password\":\"correct horse battery\",\"roles\":[\"owner\"]}"));
            probes.add(post(delegation, "/v1/delegations", JSON, "{\"agent_id\":\"agt_x\",\"scopes\":[\"crm:contacts:read\"],"
                    + "\"expires_in\":60,\"purpose\":\"p" + bad + "\"}"));
            probes.add(post(delegation, "/v1/delegations/validate", JSON, "{\"delegation_token\":\"" + bad + "\"}"));
            probes.add(post(webhook, "/v1/webhooks", JSON, "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"*\"],"
                    + "\"description\":\"d" + bad + "\"}"));
        }
        expect(400, probes);
    }

    @Test
    void trailingGarbageAndTextGivenAsANumberAre400() throws Exception {
        expect(400, List.of(
                post(identity, "/v1/tenants", JSON, "{\"name\":\"acme\"} {\"name\":\"again\"}"),
                post(identity, "/v1/tenants", JSON, "{\"name\":\"acme\"}xyz"),
                post(identity, "/v1/tenants", JSON, "{\"name\":12345}"),
                post(identity, "/v1/agents", JSON, "{\"name\":true,\"owner_email\":\"o@example.com\","
                        + "\"permissions\":[\"crm:contacts:read\"]}"),
                post(identity, "/v1/agents", JSON, "{\"name\":\"bot\",\"owner_email\":\"o@example.com\","
                        + "\"permissions\":[12]}"),
                post(token, "/v1/auth/login", JSON, "{\"username\":\"alice\",\"password\":\"x\"}]").as(null),
                post(webhook, "/v1/webhooks", JSON, "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"*\"]} []")));
    }

    @Test
    void nulAndBrokenEncodingsInPathQueryFormAndBasicAre4xx() throws Exception {
        expect(400, List.of(
                get(identity, "/v1/agents/agt_%00"),
                get(identity, "/v1/agents/%ED%A0%80"),
                get(identity, "/v1/agents?owner_email=%00"),
                get(audit, "/v1/audit/events?agent_id=agt_%00"),
                get(audit, "/v1/audit/events?type=%C0%80"),
                get(delegation, "/v1/delegations/dlg_%00"),
                get(webhook, "/v1/webhooks/whk_%00"),
                post(token, "/oauth2/token", FORM, "grant_type=client_credentials&client_id=agt_%00x&client_secret=s")
                        .as(null),
                post(token, "/oauth2/token", FORM, "grant_type=client_credentials&scope=%ED%A0%80").as(null),
                post(token, "/oauth2/token?x=%00", FORM, "grant_type=client_credentials").as(null)));
        String nulClient = "Basic " + Base64.getEncoder().encodeToString("agt_\0x:mnd_sk_a_b".getBytes(StandardCharsets.UTF_8));
        expect(401, List.of(
                post(token, "/oauth2/token", FORM, "grant_type=client_credentials").as(nulClient),
                post(token, "/oauth2/introspect", FORM, "token=x").as(nulClient)));
    }

    @Test
    void datesPastWhatTheDatabaseHoldsAre400() throws Exception {
        HttpResponse<String> created = send(post(webhook, "/v1/webhooks", JSON,
                "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"agent.verified\"]}"));
        assertEquals(201, created.statusCode(), created.body());
        String id = created.body().replaceAll(".*\"id\"\\s*:\\s*\"(whk_[^\"]+)\".*", "$1");
        try {
            expect(400, List.of(
                    get(audit, "/v1/audit/events?from=%2B300000-01-01T00:00:00Z"),
                    get(audit, "/v1/audit/events?to=-290000-01-01T00:00:00Z"),
                    post(webhook, "/v1/webhooks/" + id + "/recover", JSON, "{\"since\":\"+300000-01-01T00:00:00Z\"}")));
        } finally {
            send(new Probe("DELETE", webhook.url() + "/v1/webhooks/" + id, null, null, ADMIN));
        }
    }

    /**
     * A body sent chunked, so no Content-Length announces its size, of {@code bytes} that parse as far as they
     * go (one long JSON string, or one long form value): a reader must read on to find where it ends.
     */
    private static HttpResponse<String> chunked(ServiceProcess service, String path, String contentType, int bytes,
            String authorization) throws IOException, InterruptedException {
        String start = JSON.equals(contentType) ? "{\"name\":\"" : "grant_type=";
        byte[] body = (start + "a".repeat(bytes - start.length() - 2) + (JSON.equals(contentType) ? "\"}" : "aa"))
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> (InputStream) new ByteArrayInputStream(body)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedWhileSending) {
            return null; // the server answered and closed before all was sent: fine, as long as it was not a 5xx
        }
    }

    @Test
    void chunkedBodiesOver64KiBAre413OnEveryEndpointIncludingTheTokenEndpoint() throws Exception {
        List<String> wrong = new ArrayList<>();
        record Target(ServiceProcess service, String path, String contentType, String authorization) {
        }
        for (Target target : List.of(
                new Target(token, "/oauth2/token", FORM, null),
                new Target(token, "/oauth2/introspect", FORM, null),
                new Target(token, "/v1/auth/login", JSON, null),
                new Target(identity, "/v1/agents", JSON, ADMIN),
                new Target(delegation, "/v1/delegations", JSON, ADMIN),
                new Target(webhook, "/v1/webhooks", JSON, ADMIN))) {
            HttpResponse<String> response = chunked(target.service(), target.path(), target.contentType(), 1 << 20,
                    target.authorization());
            if (response != null && response.statusCode() != 413) {
                wrong.add(target.path() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertEquals(List.of(), wrong);
        // Under the limit, the same route still reads the body.
        HttpResponse<String> small = chunked(token, "/oauth2/token", FORM, 1024, null);
        assertTrue(small != null && (small.statusCode() == 400 || small.statusCode() == 401)
                && small.body().contains("\"error\""), "a small chunked body is read and answered as OAuth: "
                        + (small == null ? "no answer" : small.statusCode() + " " + small.body()));
    }
}
