package io.mandate.token.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP to another Mandate service's public API, with a caller's bearer token; bounded in time. */
final class ServiceApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;
    private final String url;
    private final String service;

    ServiceApi(ObjectMapper json, String url, String service) {
        this.json = json;
        this.url = url;
        this.service = service;
    }

    /** The JSON answer of a 2xx; {@link ServiceRefused} otherwise. */
    JsonNode call(String bearer, String method, String path, Object body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer = response.body().length == 0 ? json.nullNode() : json.readTree(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new ServiceRefused(response.statusCode(), answer.path("detail").asText(service + " refused the request"));
            }
            return answer;
        } catch (IOException e) {
            throw new ServiceRefused(503, service + " could not be reached; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceRefused(503, "interrupted while calling " + service);
        }
    }
}
