package io.mandate.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "mandate.audit")
public interface AuditConfig {

    /** Base64 of 32 bytes: seals the checkpoint signing keys at rest (AES-GCM). */
    String keyEncryptionKey();

    /** How often every chain that grew gets a signed checkpoint. */
    @WithDefault("5m")
    Duration checkpointInterval();

    /** How often records past their tenant's retention are purged. */
    @WithDefault("1h")
    Duration purgeInterval();

    /** How often the OCSF feed looks for records it has not published (it is also woken after each append). */
    @WithDefault("1s")
    Duration ocsfFeedPollInterval();

    /**
     * Into how many groups of tenants a polled batch is split, each appended in its own transaction
     * in parallel (chains of different tenants never wait for each other).
     */
    @WithDefault("2")
    int ingestShards();
}
