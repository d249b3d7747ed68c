package io.mandate.identity.service;

import io.mandate.api.ProblemException;
import io.mandate.identity.OAuthClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Checks the OAuth client settings an agent is registered or updated with. Redirect URIs follow OAuth 2.1
 * and RFC 8252: absolute, no fragment, no wildcard, compared exactly; {@code https}, {@code http} only on a
 * loopback address (whose port the token-service then ignores), or a private-use scheme of a native app
 * ({@code com.example.app:/callback}).
 */
final class OAuthClients {

    static final int MAX_REDIRECT_URIS = 10;
    private static final int MAX_URI = 2000;

    private OAuthClients() {
    }

    /** The settings as stored, defaults filled in; 400 naming the field that is wrong. */
    static OAuthClient checked(OAuthClient client) {
        String type = client.type() == null ? "agent" : client.type();
        if (!OAuthClient.TYPES.contains(type)) {
            throw ProblemException.invalid("client.type", "must be one of " + OAuthClient.TYPES);
        }
        String method = client.tokenEndpointAuthMethod() == null ? "client_secret_basic" : client.tokenEndpointAuthMethod();
        if (!OAuthClient.AUTH_METHODS.contains(method)) {
            throw ProblemException.invalid("client.token_endpoint_auth_method", "must be one of " + OAuthClient.AUTH_METHODS);
        }
        List<String> uris = client.redirectUris() == null ? List.of() : client.redirectUris();
        if (uris.isEmpty() || uris.size() > MAX_REDIRECT_URIS) {
            throw ProblemException.invalid("client.redirect_uris", "must list 1 to " + MAX_REDIRECT_URIS + " URIs");
        }
        List<String> redirectUris = new ArrayList<>(new LinkedHashSet<>(uris));
        for (String uri : redirectUris) {
            String problem = uri == null ? "must not be null" : redirectUriProblem(uri);
            if (problem != null) {
                throw ProblemException.invalid("client.redirect_uris", uri + " " + problem);
            }
        }
        String logo = client.logoUri();
        if (logo != null && (logo.length() > MAX_URI || !"https".equals(scheme(logo)))) {
            throw ProblemException.invalid("client.logo_uri", "must be an https URL");
        }
        // client_id_url and registration are never taken from a request: only token-service's registrar sets them.
        return new OAuthClient(type, List.copyOf(redirectUris), logo, method, null, null);
    }

    /** Why {@code uri} cannot be a redirect URI, or null. */
    static String redirectUriProblem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if (uri.length() > MAX_URI || !parsed.isAbsolute() || parsed.getRawFragment() != null || uri.contains("*")) {
            return "must be an absolute URI without a fragment or wildcard";
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? "has no host" : null;
        }
        if (scheme.equals("http")) {
            return isLoopback(parsed.getHost()) ? null : "may use http only on a loopback address (RFC 8252 §7.3)";
        }
        if (scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file") || !scheme.contains(".")) {
            return "must be https, loopback http, or a private-use scheme such as com.example.app (RFC 8252 §7.1)";
        }
        return null;
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equalsIgnoreCase("localhost"));
    }

    private static String scheme(String uri) {
        try {
            return new URI(uri).getScheme();
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
