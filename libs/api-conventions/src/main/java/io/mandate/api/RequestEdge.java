package io.mandate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every request passes before any resource sees it: a body announced larger than
 * {@code quarkus.http.limits.max-body-size} (64 KiB) is 413 before any of it is read, and a
 * path or query that does not decode to storable text (a broken escape, invalid UTF-8, NUL, an unpaired
 * surrogate) is 400. Problem+json, or RFC 6749 error JSON under {@code /oauth2/}. Chunked bodies are
 * bounded where they are read (RESTEasy by the same limit, token-service's token route by itself).
 */
@ApplicationScoped
public class RequestEdge {

    void install(@Observes Router router, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        String tooLarge = "request bodies are limited to " + max + " bytes";
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && tooLarge(length, max)) {
                refuse(context, mapper, 413, "body_too_large", "Content Too Large", tooLarge);
                return;
            }
            String target = badTarget(context.request().uri());
            if (target != null) {
                refuse(context, mapper, 400, "invalid_request_target", "Bad Request", target);
                return;
            }
            context.next();
        });
    }

    /** What is wrong with a request target's path or query, or null. */
    static String badTarget(String uri) {
        int query = uri.indexOf('?');
        try {
            WireText.percentDecoded(query < 0 ? uri : uri.substring(0, query), false);
        } catch (IllegalArgumentException e) {
            return "the path " + e.getMessage();
        }
        if (query >= 0) {
            for (String pair : uri.substring(query + 1).split("&")) {
                try {
                    WireText.percentDecoded(pair, true);
                } catch (IllegalArgumentException e) {
                    return "a query parameter " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static void refuse(RoutingContext context, ObjectMapper mapper, int status, String code, String title,
            String detail) {
        boolean oauth = context.request().path() != null && context.request().path().startsWith("/oauth2/");
        String body;
        try {
            body = mapper.writeValueAsString(oauth
                    ? Map.of("error", "invalid_request", "error_description", detail)
                    : Problem.of(status, code, title, detail, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        context.response().setStatusCode(status)
                .putHeader("Content-Type", oauth ? "application/json" : Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(body);
    }

    private static boolean tooLarge(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
