package io.mandate.token.service;

import io.mandate.token.ResourceProjection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whom a token is for (RFC 8707): its {@code aud}, and the registered resource among them, whose scopes,
 * lifetime and binding the token then follows.
 */
public record Target(List<String> audience, Optional<ResourceProjection> resource) {

    public static Target of(List<String> audience) {
        return new Target(List.copyOf(audience), Optional.empty());
    }

    /** The lifetime the resource asks for, if any. */
    public Optional<Duration> lifetime() {
        return resource.flatMap(ResourceProjection::lifetime);
    }
}
