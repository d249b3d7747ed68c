package io.mandate.token.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * Matches a redirect URI against the client's registered ones: exactly, character for character, except
 * that a loopback URI may name any port (RFC 8252 §7.3: a native app listens on whatever port it got).
 */
public final class RedirectUris {

    private RedirectUris() {
    }

    static boolean registered(String presented, List<String> registered) {
        return registered.contains(presented) || registered.stream().anyMatch(r -> sameLoopbackIgnoringPort(presented, r));
    }

    private static boolean sameLoopbackIgnoringPort(String presented, String registered) {
        try {
            URI a = new URI(presented);
            URI b = new URI(registered);
            return "http".equals(a.getScheme()) && "http".equals(b.getScheme()) && isLoopback(a.getHost())
                    && Objects.equals(a.getHost(), b.getHost()) && a.getRawUserInfo() == null
                    && Objects.equals(a.getRawPath(), b.getRawPath()) && Objects.equals(a.getRawQuery(), b.getRawQuery())
                    && a.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isLoopback(String host) {
        return "127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equalsIgnoreCase(host);
    }

    /** The origin a browser form may be sent on to, for the pages' {@code form-action}: scheme and authority. */
    public static String formTarget(String redirectUri) {
        try {
            URI uri = new URI(redirectUri);
            if (uri.getRawAuthority() == null) {
                return uri.getScheme() + ":"; // a native app's private-use scheme
            }
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + redirectUri, e);
        }
    }
}
