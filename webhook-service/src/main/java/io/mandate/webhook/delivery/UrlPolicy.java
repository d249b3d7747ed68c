package io.mandate.webhook.delivery;

import io.mandate.api.ProblemException;
import io.mandate.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * SSRF guard: webhook targets must be http(s) URLs whose host is not private, loopback, link-local
 * (cloud metadata lives there), multicast or unspecified. Loopback only when configuration allows it.
 */
@ApplicationScoped
public class UrlPolicy {

    private final boolean allowLoopback;

    UrlPolicy(WebhookConfig config) {
        this.allowLoopback = config.allowLoopback();
    }

    /** The URL if it may be called; a 400 problem otherwise. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ProblemException.invalid("url", "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getUserInfo() != null) {
            throw ProblemException.invalid("url", "must be an absolute http(s) URL without credentials");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return uri; // not resolvable now; checked again before every delivery
        }
        for (InetAddress address : addresses) {
            if (forbidden(address)) {
                throw ProblemException.forbidden("webhook_url_forbidden",
                        "the URL resolves to a private, loopback, link-local or otherwise internal address");
            }
        }
        return uri;
    }

    boolean forbidden(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return !allowLoopback;
        }
        boolean uniqueLocalV6 = address instanceof Inet6Address && (address.getAddress()[0] & 0xFE) == 0xFC;
        return address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress() || uniqueLocalV6;
    }
}
