package io.mandate.resourceserver;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mandate's signing keys, fetched from its JWKS and kept for {@code lifetime}. A token signed by a key not seen yet
 * (a rotation) fetches them again, at most once per {@code minRefetch}, so a new key is accepted from its first
 * token and a key taken out of the set stops counting within one lifetime. When a fetch fails the keys in hand stay.
 */
public final class JwksCache {

    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());

    private final URI uri;
    private final HttpClient http;
    private final Duration lifetime;
    private final Duration minRefetch;
    private final Clock clock;
    private volatile Keys keys = new Keys(new JWKSet(), Instant.EPOCH, Instant.EPOCH);

    private record Keys(JWKSet set, Instant fetchedAt, Instant attemptedAt) {
    }

    public JwksCache(URI uri, HttpClient http, Duration lifetime, Duration minRefetch, Clock clock) {
        this.uri = uri;
        this.http = http;
        this.lifetime = lifetime;
        this.minRefetch = minRefetch;
        this.clock = clock;
    }

    /** The key with this {@code kid}, or null when Mandate does not publish one (even after fetching again). */
    public JWK key(String kid) throws KeysUnavailableException {
        Keys current = keys;
        Instant now = clock.instant();
        boolean stale = !current.fetchedAt().plus(lifetime).isAfter(now);
        boolean unknown = kid == null || current.set().getKeyByKeyId(kid) == null;
        if ((stale || unknown) && !current.attemptedAt().plus(minRefetch).isAfter(now)) {
            current = refresh(current);
        }
        if (current.set().isEmpty() && current.fetchedAt().equals(Instant.EPOCH)) {
            throw new KeysUnavailableException("Mandate's signing keys cannot be fetched from " + uri);
        }
        return kid == null ? null : current.set().getKeyByKeyId(kid);
    }

    public URI uri() {
        return uri;
    }

    private synchronized Keys refresh(Keys seen) {
        if (keys != seen) {
            return keys;
        }
        Instant now = clock.instant();
        try {
            keys = new Keys(JWKSet.parse(fetch()).toPublicJWKSet(), now, now);
        } catch (IOException | ParseException e) {
            LOG.log(Level.WARNING, "Mandate's signing keys could not be fetched from {0}: {1}",
                    new Object[] {uri, e.getMessage()});
            keys = new Keys(seen.set(), seen.fetchedAt(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keys = new Keys(seen.set(), seen.fetchedAt(), now);
        }
        return keys;
    }

    /** The JWKS document: over HTTP(S), or from a {@code file:} URI (test keys, an offline check). */
    private String fetch() throws IOException, InterruptedException {
        if ("file".equals(uri.getScheme())) {
            return Files.readString(Path.of(uri));
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    /** The keys could not be fetched even once: the API answers 503, not 401, since the token may be fine. */
    public static final class KeysUnavailableException extends Exception {
        public KeysUnavailableException(String message) {
            super(message);
        }
    }
}
