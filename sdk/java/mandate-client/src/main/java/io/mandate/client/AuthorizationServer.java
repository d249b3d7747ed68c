package io.mandate.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** What a client needs from Mandate's RFC 8414 metadata, fetched on first use and kept. */
record AuthorizationServer(URI issuer, URI tokenEndpoint, Map<String, Object> metadata) {

    static Supplier<AuthorizationServer> discovering(URI issuer, MandateHttp http) {
        return new Supplier<>() {
            private volatile AuthorizationServer known;

            @Override
            public AuthorizationServer get() {
                AuthorizationServer server = known;
                if (server == null) {
                    synchronized (this) {
                        if (known == null) {
                            known = fetch(issuer, http);
                        }
                        server = known;
                    }
                }
                return server;
            }
        };
    }

    private static AuthorizationServer fetch(URI issuer, MandateHttp http) {
        String base = issuer.toString().replaceAll("/+$", "");
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath().replaceAll("/+$", "");
        // RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
        URI wellKnown = URI.create(issuer.getScheme() + "://" + issuer.getRawAuthority()
                + "/.well-known/oauth-authorization-server" + path);
        Map<String, Object> metadata = http.expectJson(http.send(() -> HttpRequest.newBuilder(wellKnown)
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(), true));
        if (!base.equals(metadata.get("issuer"))) {
            throw new MandateException(200, "invalid_metadata", "the metadata at " + wellKnown + " names issuer "
                    + metadata.get("issuer") + ", not " + base, null, null);
        }
        String tokenEndpoint = Json.string(metadata, "token_endpoint");
        if (tokenEndpoint == null) {
            throw new MandateException(200, "invalid_metadata", "the metadata has no token_endpoint", null, null);
        }
        return new AuthorizationServer(issuer, URI.create(tokenEndpoint), metadata);
    }
}
