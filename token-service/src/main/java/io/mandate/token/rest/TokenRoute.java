package io.mandate.token.rest;

import io.mandate.token.grant.ClientCredentialsGrant;
import io.mandate.token.grant.Issued;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.ClientAuthenticator;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /oauth2/token} on the event loop, ahead of RESTEasy: reads the form once, and answers a
 * client_credentials request without DPoP from a client this replica holds in memory itself, when Kafka
 * acknowledged its event (if its tenant waits for that) — no database, no worker thread, no JAX-RS
 * dispatch. Every other request goes on to {@link TokenResource} with the form already read.
 */
@ApplicationScoped
class TokenRoute {

    private static final String REQUEST = TokenRequest.class.getName();

    private final ClientAuthenticator authenticator;
    private final ClientCredentialsGrant clientCredentials;

    TokenRoute(ClientAuthenticator authenticator, ClientCredentialsGrant clientCredentials) {
        this.authenticator = authenticator;
        this.clientCredentials = clientCredentials;
    }

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        router.post("/oauth2/token").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(context -> read(context, max));
    }

    /**
     * Reads the body up to {@code max} bytes. A chunked body announces no length, so it is counted as it
     * comes: past the limit the request is answered 413 and the connection closed, nothing more is kept.
     */
    private void read(RoutingContext context, long max) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > max) {
                refused[0] = true;
                // Connection: close, so the rest of the body is never read.
                refuse(context, new OAuthException(413, "invalid_request",
                        "request bodies are limited to " + max + " bytes", Map.of("Connection", "close")));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(failure -> {
            if (!refused[0]) {
                context.fail(failure);
            }
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                serve(context, body);
            }
        });
        request.resume(); // the router holds requests paused until a handler reads them
    }

    /** The request {@link #serve} read and left to the resource. */
    static TokenRequest request(RoutingContext context) {
        return Objects.requireNonNull(context.get(REQUEST), "the token route did not read this request");
    }

    private void serve(RoutingContext context, Buffer body) {
        TokenRequest request;
        Optional<CompletableFuture<Issued>> issued;
        try {
            request = TokenRequest.from(body.toString(), context.request());
            issued = ClientCredentialsGrant.GRANT_TYPE.equals(request.grantType()) && request.dpop() == null
                    ? authenticator.fromMemory(request).flatMap(client -> clientCredentials.grantWithoutDatabase(client, request))
                    : Optional.empty();
        } catch (OAuthException refused) {
            refuse(context, refused);
            return;
        } catch (RuntimeException e) {
            context.fail(e);
            return;
        }
        if (issued.isEmpty()) {
            context.put(REQUEST, request);
            context.next();
            return;
        }
        io.vertx.core.Context eventLoop = context.vertx().getOrCreateContext();
        issued.get().whenComplete((tokens, failure) -> eventLoop.runOnContext(ignored -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof OAuthException refused) {
                refuse(context, refused);
            } else if (cause != null) {
                context.fail(cause);
            } else {
                HttpServerResponse response = json(context, 200, Map.of("Pragma", "no-cache"));
                tokens.allowance().headers().forEach(response::putHeader);
                response.end(Json.encodeToBuffer(TokenResource.body(tokens)));
            }
        }));
    }

    private static void refuse(RoutingContext context, OAuthException refused) {
        json(context, refused.status(), refused.headers()).end(Json.encodeToBuffer(refused.body()));
    }

    private static HttpServerResponse json(RoutingContext context, int status, Map<String, String> headers) {
        HttpServerResponse response = context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        headers.forEach(response::putHeader);
        return response;
    }
}
