package io.mandate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mandate.cli.Session.Service;
import io.mandate.client.MandateHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Mandate's REST API as the signed-in person (or MANDATE_TOKEN), through mandate-client's HTTP: retries on 429 and
 * 5xx, typed errors with the server's code. JSON in and out.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Session session;
    private final MandateHttp http = MandateHttp.defaults();

    Api(Session session) {
        this.session = session;
    }

    public JsonNode get(Service service, String path, Map<String, ?> query) {
        return call("GET", service, path + queryString(query), null, true);
    }

    public JsonNode post(Service service, String path, Object body) {
        return call("POST", service, path, body, true);
    }

    public JsonNode put(Service service, String path, Object body) {
        return call("PUT", service, path, body, true);
    }

    public JsonNode patch(Service service, String path, Object body) {
        return call("PATCH", service, path, body, true);
    }

    public JsonNode delete(Service service, String path) {
        return call("DELETE", service, path, null, true);
    }

    /** A public document (metadata, keys), fetched without the stored token. */
    public JsonNode getAnonymously(Service service, String path) {
        return call("GET", service, path, null, false);
    }

    /** A request without the stored token (signing in), answering JSON or throwing the server's error. */
    public JsonNode postAnonymously(Service service, String path, Object body) {
        return call("POST", service, path, body, false);
    }

    /** The raw text of a 2xx answer (an NDJSON export). */
    public String text(Service service, String path, Map<String, ?> query) {
        HttpResponse<String> response = send("GET", service, path + queryString(query), null, true);
        if (response.statusCode() / 100 != 2) {
            throw http.failure(response);
        }
        return response.body();
    }

    private JsonNode call(String method, Service service, String path, Object body, boolean authenticated) {
        HttpResponse<String> response = send(method, service, path, body, authenticated);
        if (response.statusCode() / 100 != 2) {
            throw http.failure(response);
        }
        if (response.body() == null || response.body().isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Mandate answered " + response.statusCode() + " with something not JSON");
        }
    }

    private HttpResponse<String> send(String method, Service service, String path, Object body, boolean authenticated) {
        URI uri = URI.create(session.endpoint(service) + path);
        String bearer = authenticated ? session.requireToken() : null;
        String json;
        try {
            json = body == null ? null : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
        boolean repeatable = !method.equals("POST") && !method.equals("PATCH");
        return http.send(() -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json, application/problem+json, application/x-ndjson")
                    .header("User-Agent", "mandate-cli/0.1.0");
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            if (session.tenant() != null) {
                request.header("Mandate-Tenant", session.tenant());
            }
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            return request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json)).build();
        }, repeatable);
    }

    /**
     * A JSON object or a query from {@code name, value, name, value, …}, leaving out the names whose value is null:
     * an option not given is not sent. Mutable, for what a command adds after.
     */
    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }

    /** {@code ?a=1&b=x} from the entries whose value is not null (a collection repeats its name). */
    static String queryString(Map<String, ?> query) {
        if (query == null) {
            return "";
        }
        Map<String, Object> present = new LinkedHashMap<>();
        query.forEach((name, value) -> {
            if (value != null && !(value instanceof String s && s.isBlank())) {
                present.put(name, value);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        return "?" + present.entrySet().stream().flatMap(e -> (e.getValue() instanceof Iterable<?> values
                ? java.util.stream.StreamSupport.stream(values.spliterator(), false) : java.util.stream.Stream.of(e.getValue()))
                .map(v -> encode(e.getKey()) + "=" + encode(String.valueOf(v)))).collect(Collectors.joining("&"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
