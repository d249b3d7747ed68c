package io.mandate.token.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.egress.EgressGuard;
import io.mandate.token.config.TokenConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, the way MCP clients identify
 * themselves): a client whose {@code client_id} is an https URL is what the JSON document at that URL says.
 * Fetched behind the egress guard (never a private, loopback or link-local address), without following
 * redirects, within a time and a size limit; a document is kept as long as its {@code Cache-Control}
 * says (within bounds) and a refusal for a while too, so no URL is fetched twice within that time, whatever
 * it answered. Only public clients: a document that carries a secret or another authentication is refused.
 */
@ApplicationScoped
public class ClientMetadataDocuments {

    /** A client as its document describes it; {@code name} falls back to the host. */
    public record Document(String clientId, String name, List<String> redirectUris, String logoUri, String clientUri) {

        /** The host that vouches for the document: what the consent page shows. */
        public String host() {
            return URI.create(clientId).getHost();
        }
    }

    /** Why a URL cannot identify a client; the message is shown to the person and names no secret. */
    public static class BadClientMetadataException extends RuntimeException {

        public BadClientMetadataException(String message) {
            super(message);
        }
    }

    private record Entry(Document document, String refusal, Instant until) {
    }

    private record Fetched(String body, String cacheControl) {
    }

    private static final Logger LOG = Logger.getLogger(ClientMetadataDocuments.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_URL = 2000;
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_REDIRECT_URIS = 10;
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*max-age\\s*=\\s*\"?(\\d{1,10})\"?",
            Pattern.CASE_INSENSITIVE);
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");

    private final TokenConfig.ClientMetadata config;
    private final EgressGuard guard;
    private final HttpClient http;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();

    ClientMetadataDocuments(TokenConfig config, Vertx vertx) {
        this.config = config.clientMetadata();
        this.guard = new EgressGuard(this.config.allowLoopback());
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout((int) this.config.timeout().toMillis())
                .setVerifyHost(true).setKeepAlive(false);
        this.config.trustCertificates().ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem)));
        this.http = vertx.createHttpClient(options);
    }

    /** Whether {@code clientId} names a metadata document rather than a registered client. */
    public static boolean isUrl(String clientId) {
        return clientId != null && clientId.regionMatches(true, 0, "https://", 0, 8);
    }

    /**
     * The client the document at {@code url} describes. Blocking (a fetch, unless kept).
     *
     * @throws BadClientMetadataException when the URL, its address, its answer or the document is refused
     */
    public Document document(String url) {
        Entry entry = cache.get(url);
        if (entry == null || !Instant.now().isBefore(entry.until())) {
            CompletableFuture<Entry> mine = new CompletableFuture<>();
            CompletableFuture<Entry> running = inFlight.putIfAbsent(url, mine);
            if (running != null) {
                entry = running.join();
            } else {
                try {
                    entry = load(url);
                    if (cache.size() >= MAX_ENTRIES) {
                        cache.clear();
                    }
                    cache.put(url, entry);
                } finally {
                    mine.complete(entry);
                    inFlight.remove(url);
                }
            }
        }
        if (entry.refusal() != null) {
            throw new BadClientMetadataException(entry.refusal());
        }
        return entry.document();
    }

    private Entry load(String url) {
        Instant now = Instant.now();
        try {
            URI uri = checkedUrl(url);
            InetAddress address = guard.reachableAddress(uri.getHost()).orElseThrow(() -> refused(
                    "its host resolves to a private, loopback, link-local or otherwise internal address"));
            Fetched fetched = fetch(uri, address);
            Document document = parse(url, fetched.body());
            return new Entry(document, null, now.plus(lifetime(fetched.cacheControl())));
        } catch (UnknownHostException e) {
            return refusal(url, now, "its host does not resolve");
        } catch (BadClientMetadataException e) {
            return refusal(url, now, e.getMessage());
        }
    }

    private Entry refusal(String url, Instant now, String why) {
        LOG.infof("client metadata document %s refused: %s", url, why);
        return new Entry(null, "The client's metadata document at " + url + " cannot be used: " + why + ".",
                now.plus(config.failureCacheLifetime()));
    }

    /** An https URL with a host and a path, without fragment, user info or dot segments. */
    private static URI checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused("it is not a URL");
        }
        String path = uri.getRawPath();
        if (url.length() > MAX_URL || !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null || path == null || path.isEmpty()
                || path.equals("/") || path.contains("/./") || path.contains("/../") || path.endsWith("/.")
                || path.endsWith("/..")) {
            throw refused("a client ID must be an https URL with a path, without fragment, user name or dot segments");
        }
        return uri;
    }

    private Fetched fetch(URI uri, InetAddress address) {
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        long timeout = config.timeout().toMillis();
        // Connects to the address just checked (the Host header, SNI and certificate check use the URL's host).
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false).setIdleTimeout(timeout)
                .putHeader("accept", "application/json").putHeader("user-agent", "Mandate/1 (client metadata)");
        try {
            return http.request(request).compose(sending -> sending.send().compose(this::read))
                    .toCompletionStage().toCompletableFuture().get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw refused("its server did not answer within " + config.timeout().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused("the fetch was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadClientMetadataException refusal) {
                throw refusal;
            }
            throw refused("its server could not be reached (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    /** A 200 answer's body, read up to the size limit (past it the connection is dropped). */
    private Future<Fetched> read(HttpClientResponse response) {
        Promise<Fetched> done = Promise.promise();
        response.exceptionHandler(done::tryFail); // also hears the reset below, which then changes nothing
        if (response.statusCode() != 200) {
            done.tryFail(refused("its server answered " + response.statusCode()
                    + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : "")));
            response.request().reset();
            return done.future();
        }
        String length = response.getHeader("content-length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 12
                && Long.parseLong(length) > config.maxBytes()) {
            done.tryFail(tooLarge());
            response.request().reset();
            return done.future();
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            body.appendBuffer(chunk);
            if (body.length() > config.maxBytes() && done.tryFail(tooLarge())) {
                response.request().reset();
            }
        });
        response.endHandler(end -> done.tryComplete(new Fetched(body.toString(StandardCharsets.UTF_8),
                response.getHeader("cache-control"))));
        return done.future();
    }

    private BadClientMetadataException tooLarge() {
        return refused("it is larger than " + config.maxBytes() + " bytes");
    }

    /** What the document says, checked: it names itself, public, with redirect URIs a browser may be sent to. */
    static Document parse(String url, String body) {
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw refused("it is not JSON");
        }
        if (document == null || !document.isObject()) {
            throw refused("it is not a JSON object");
        }
        if (!url.equals(document.path("client_id").asText(null))) {
            throw refused("its client_id is not the URL it was fetched from");
        }
        if (document.has("client_secret") || document.has("client_secret_expires_at")) {
            throw refused("a metadata document must not carry a client secret");
        }
        String method = document.path("token_endpoint_auth_method").asText("none");
        if (!method.equals("none")) {
            throw refused("only public clients may use a metadata document (token_endpoint_auth_method none)");
        }
        JsonNode grantTypes = document.path("grant_types");
        if (grantTypes.isArray() && (!contains(grantTypes, "authorization_code") || !allIn(grantTypes, GRANT_TYPES))) {
            throw refused("grant_types must be authorization_code, and refresh_token at most");
        }
        JsonNode responseTypes = document.path("response_types");
        if (responseTypes.isArray() && !(responseTypes.size() == 1 && contains(responseTypes, "code"))) {
            throw refused("response_types must be code");
        }
        List<String> redirectUris = new ArrayList<>();
        document.path("redirect_uris").forEach(uri -> redirectUris.add(uri.asText("")));
        if (redirectUris.isEmpty() || redirectUris.size() > MAX_REDIRECT_URIS) {
            throw refused("it must list 1 to " + MAX_REDIRECT_URIS + " redirect_uris");
        }
        for (String redirectUri : redirectUris) {
            if (!redirectable(redirectUri)) {
                throw refused("redirect URI " + redirectUri + " is not https, loopback http or a private-use scheme");
            }
        }
        String name = document.path("client_name").asText("").strip();
        return new Document(url, name.isEmpty() || name.length() > 100 ? URI.create(url).getHost() : name,
                List.copyOf(redirectUris), https(document.path("logo_uri").asText(null)),
                https(document.path("client_uri").asText(null)));
    }

    /** How long a document is kept: its {@code max-age}, or none for {@code no-store}/{@code no-cache}, within bounds. */
    Duration lifetime(String cacheControl) {
        Duration wanted = config.defaultCacheLifetime();
        if (cacheControl != null) {
            String lower = cacheControl.toLowerCase(Locale.ROOT);
            Matcher maxAge = MAX_AGE.matcher(lower);
            if (lower.contains("no-store") || lower.contains("no-cache")) {
                wanted = Duration.ZERO;
            } else if (maxAge.find()) {
                wanted = Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
            }
        }
        if (wanted.compareTo(config.minCacheLifetime()) < 0) {
            return config.minCacheLifetime();
        }
        return wanted.compareTo(config.maxCacheLifetime()) > 0 ? config.maxCacheLifetime() : wanted;
    }

    private static boolean redirectable(String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("https")) {
                return uri.getHost() != null;
            }
            if (scheme.equals("http")) {
                String host = uri.getHost();
                return host != null && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost"));
            }
            return scheme.contains(".") && !scheme.equals("javascript") && !scheme.equals("data");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String https(String value) {
        return value != null && value.startsWith("https://") && value.length() <= MAX_URL ? value : null;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean allIn(JsonNode array, Set<String> allowed) {
        for (JsonNode item : array) {
            if (!allowed.contains(item.asText())) {
                return false;
            }
        }
        return true;
    }

    private static BadClientMetadataException refused(String why) {
        return new BadClientMetadataException(why);
    }
}
