package io.mandate.resourceserver.quarkus;

import io.mandate.resourceserver.MandateResourceServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The CDI side (Quarkus, or any CDI container with MicroProfile Config): one {@link MandateResourceServer} from
 * {@code mandate.resource-server.*}: {@code issuer} and {@code audience} (required), {@code jwks-url},
 * {@code jwks-lifetime}, {@code require-dpop}, {@code require-dpop-nonce}, {@code scopes}, {@code resource-name}.
 */
@ApplicationScoped
public class MandateResourceServerProducer {

    static final String PREFIX = "mandate.resource-server.";

    @Produces
    @Singleton
    MandateResourceServer resourceServer(Config config) {
        MandateResourceServer.Builder builder = MandateResourceServer.builder()
                .issuer(config.getValue(PREFIX + "issuer", String.class))
                .audience(config.getValue(PREFIX + "audience", String.class))
                .requireDpop(config.getOptionalValue(PREFIX + "require-dpop", Boolean.class).orElse(false))
                .requireDpopNonce(config.getOptionalValue(PREFIX + "require-dpop-nonce", Boolean.class).orElse(false))
                .scopes(config.getOptionalValues(PREFIX + "scopes", String.class).orElse(List.of()));
        config.getOptionalValue(PREFIX + "jwks-url", String.class).map(URI::create).ifPresent(builder::jwksUri);
        config.getOptionalValue(PREFIX + "jwks-lifetime", Duration.class).ifPresent(builder::jwksLifetime);
        config.getOptionalValue(PREFIX + "resource-name", String.class).ifPresent(builder::resourceName);
        return builder.build();
    }
}
