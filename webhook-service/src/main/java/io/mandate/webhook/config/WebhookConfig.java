package io.mandate.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** webhook-service tunables. */
@ConfigMapping(prefix = "mandate.webhook")
public interface WebhookConfig {

    /** AES-256 key (base64) sealing endpoint secrets at rest. */
    String secretEncryptionKey();

    /** Loopback targets are refused (SSRF) unless this is set; the local run and tests set it. */
    @WithDefault("false")
    boolean allowLoopback();

    /** Plain-http targets are refused unless this is set (development; the local run and tests set it). */
    @WithDefault("false")
    boolean allowHttp();

    @WithDefault("15s")
    Duration deliveryTimeout();

    /** Delay before each retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; ±20 % jitter. */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** How often the dispatcher looks for due messages when nothing woke it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long the previous secret keeps signing beside the new one after a rotation. */
    @WithDefault("24h")
    Duration secretRotationOverlap();

    /** An endpoint whose every attempt failed for this long is disabled. */
    @WithDefault("5d")
    Duration disableAfterFailingFor();

    /** How far back {@code recover} may reach. */
    @WithDefault("14d")
    Duration recoverWindow();

    /** Deliveries in flight at once, all endpoints together. */
    @WithDefault("32")
    int workers();

    /** Deliveries in flight at once to one endpoint, so a slow receiver cannot take every worker. */
    @WithDefault("8")
    int perEndpointConcurrency();

    /** Deliveries in flight at once to one tenant's endpoints, so one tenant's slow receivers cannot take every worker. */
    @WithDefault("16")
    int perTenantConcurrency();
}
