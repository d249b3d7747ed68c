package io.mandate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body announced larger than {@code quarkus.http.limits.max-body-size} (SPEC §3: 64 KiB)
 * with a problem+json 413 before any of it is read; HTTP's own limit still guards chunked bodies.
 */
@ApplicationScoped
public class OversizedBodies {

    void install(@Observes Router router, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) throws JsonProcessingException {
        long max = limit.asLongValue();
        String body = mapper.writeValueAsString(Problem.of(413, "body_too_large", "Content Too Large",
                "request bodies are limited to " + max + " bytes", List.of()));
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            if (length != null && tooLarge(length, max)) {
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(body);
                return;
            }
            context.next();
        });
    }

    private static boolean tooLarge(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
