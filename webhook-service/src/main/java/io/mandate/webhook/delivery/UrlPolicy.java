package io.mandate.webhook.delivery;

import io.mandate.api.ProblemException;
import io.mandate.egress.EgressGuard;
import io.mandate.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * SSRF guard: webhook targets must be https URLs (http only where configuration allows it) whose
 * host resolves only to globally reachable unicast addresses ({@link EgressGuard}); loopback only when
 * configuration allows it. Checked at registration and again before every delivery, since DNS can
 * change, and a delivery connects to the very address checked; redirects are never followed.
 */
@ApplicationScoped
public class UrlPolicy {

    private final boolean allowHttp;
    private final EgressGuard guard;

    @Inject
    UrlPolicy(WebhookConfig config) {
        this(config.allowLoopback(), config.allowHttp(), InetAddress::getAllByName);
    }

    public UrlPolicy(boolean allowLoopback, boolean allowHttp, EgressGuard.Resolver resolver) {
        this.allowHttp = allowHttp;
        this.guard = new EgressGuard(allowLoopback, resolver);
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
        if (!(scheme.equals("https") || (allowHttp && scheme.equals("http"))) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw ProblemException.invalid("url", allowHttp ? "must be an absolute http(s) URL without credentials"
                    : "must be an absolute https URL without credentials");
        }
        try {
            if (resolvesToForbidden(uri.getHost())) {
                throw ProblemException.forbidden("webhook_url_forbidden",
                        "the URL resolves to a private, loopback, link-local or otherwise internal address");
            }
        } catch (UnknownHostException e) {
            return uri; // not resolvable now; checked again before every delivery
        }
        return uri;
    }

    /** Whether any address {@code host} resolves to now is one webhooks may not reach. */
    public boolean resolvesToForbidden(String host) throws UnknownHostException {
        return reachableAddress(host).isEmpty();
    }

    /** The address to connect to for {@code host}, resolved now, or empty when it may not be reached. */
    public Optional<InetAddress> reachableAddress(String host) throws UnknownHostException {
        return guard.reachableAddress(host);
    }

    boolean forbidden(InetAddress address) {
        return guard.forbidden(address);
    }
}
