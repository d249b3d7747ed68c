package io.mandate.token.service;

import io.mandate.token.AgentProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Token requests per agent per minute by tier, counted in fixed one-minute windows in this replica's
 * memory: with N replicas behind a balancer an agent gets up to N times its limit. Answers carry the
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers
 * (draft-ietf-httpapi-ratelimit-headers); a refusal is 429 with {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimiter {

    private static final long WINDOW_MILLIS = 60_000;
    private static final int SWEEP_ABOVE = 50_000;

    private final TokenConfig config;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(TokenConfig config) {
        this.config = config;
    }

    private record Window(long start, AtomicInteger used) {
    }

    /** Where an agent stands after this request. */
    public record Allowance(int limit, int remaining, long resetSeconds) {

        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("RateLimit-Limit", Integer.toString(limit));
            headers.put("RateLimit-Remaining", Integer.toString(remaining));
            headers.put("RateLimit-Reset", Long.toString(resetSeconds));
            return headers;
        }
    }

    /** Counts one request of {@code agent}; throws 429 once its tier's limit for this minute is used up. */
    public Allowance acquire(AgentProjection agent) {
        Integer limit = config.rateLimits().get(agent.tier);
        if (limit == null) {
            limit = config.rateLimits().values().stream().min(Integer::compare).orElse(60);
        }
        long now = System.currentTimeMillis();
        long windowStart = now - now % WINDOW_MILLIS;
        Window window = windows.compute(agent.agentId,
                (id, current) -> current != null && current.start() == windowStart ? current
                        : new Window(windowStart, new AtomicInteger()));
        int used = window.used().incrementAndGet();
        long reset = Math.max(1, (windowStart + WINDOW_MILLIS - now + 999) / 1000);
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.start() < windowStart);
        }
        Allowance allowance = new Allowance(limit, Math.max(0, limit - used), reset);
        if (used > limit) {
            Map<String, String> headers = new LinkedHashMap<>(allowance.headers());
            headers.put("Retry-After", Long.toString(reset));
            throw new OAuthException(429, "rate_limited",
                    "more than " + limit + " token requests this minute for a " + agent.tier + " agent", headers);
        }
        return allowance;
    }
}
