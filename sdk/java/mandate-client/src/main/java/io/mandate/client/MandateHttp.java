package io.mandate.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP to Mandate with retries and typed errors: what the client library, the CLI and anyone calling the REST API
 * from Java share. A request is built anew for every attempt (a DPoP proof is good for one).
 */
public final class MandateHttp {

    private static final Pattern CHALLENGE_ERROR = Pattern.compile("error=\"([^\"]*)\"");
    private static final Pattern CHALLENGE_DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

    private final HttpClient client;
    private final RetryPolicy retry;
    private final Clock clock;

    public MandateHttp(HttpClient client, RetryPolicy retry, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.clock = clock;
    }

    /** A JDK client with a 10 s connect timeout and the default retries. */
    public static MandateHttp defaults() {
        return new MandateHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                RetryPolicy.defaults(), Clock.systemUTC());
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Sends until an answer that is not worth retrying, or attempts run out; returns the last answer whatever its
     * status. A 429 or 503 is always retried (the server did nothing); other 5xx and lost connections only when
     * {@code repeatable}, since the first attempt may have taken effect.
     *
     * @throws MandateException {@code unreachable} when the last attempt got no answer
     */
    public HttpResponse<String> send(Supplier<HttpRequest> request, boolean repeatable) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = client.send(request.get(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                Optional<Duration> wait = repeatable ? retry.delayAfter(attempt, null) : Optional.empty();
                if (wait.isEmpty()) {
                    throw new MandateException(0, "unreachable", e.getMessage(), null, e);
                }
                pause(wait.get());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MandateException(0, "interrupted", "interrupted while waiting for Mandate", null, e);
            }
            int status = response.statusCode();
            boolean worthAnother = status == 429 || status == 503 || (repeatable && RetryPolicy.retryable(status));
            if (!worthAnother) {
                return response;
            }
            Optional<Duration> wait = retry.delayAfter(attempt, retryAfter(response));
            if (wait.isEmpty()) {
                return response;
            }
            pause(wait.get());
        }
    }

    /** The error an answer carries, typed by its shape: problem+json, an OAuth error, or a bare status. */
    public MandateException failure(HttpResponse<String> response) {
        Map<String, Object> body = Json.object(response.body());
        int status = response.statusCode();
        Duration retryAfter = retryAfter(response);
        if (body.get("code") instanceof String || contentType(response).startsWith("application/problem+json")) {
            return new ApiProblemException(status, body, retryAfter);
        }
        if (body.get("error") instanceof String error) {
            return new OAuthErrorException(status, error, Json.string(body, "error_description"), retryAfter);
        }
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        Matcher error = CHALLENGE_ERROR.matcher(challenge);
        if (error.find()) {
            Matcher description = CHALLENGE_DESCRIPTION.matcher(challenge);
            return new OAuthErrorException(status, error.group(1), description.find() ? description.group(1) : null,
                    retryAfter);
        }
        return new MandateException(status, "http_" + status, null, retryAfter, null);
    }

    /** The JSON object of a 2xx answer; anything else thrown as its {@link #failure}. */
    public Map<String, Object> expectJson(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(response);
        }
        return Json.object(response.body());
    }

    private Duration retryAfter(HttpResponse<String> response) {
        return RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null), clock);
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MandateException(0, "interrupted", "interrupted while waiting to retry", null, e);
        }
    }
}
