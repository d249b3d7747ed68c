package io.mandate.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Two independently keyed issuers for a service under test: {@code mandate} stands where
 * token-service's issuer is configured, {@code external} is the enterprise IdP. Humans the external
 * IdP vouches for are mapped to accounts of tenant {@value #EXTERNAL_TENANT}.
 */
public class TestIssuers implements QuarkusTestResourceLifecycleManager {

    public static final String MANDATE = "mandate";
    public static final String EXTERNAL = "external";
    public static final String EXTERNAL_TENANT = "ten_default";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mandate.token-service.url", TestIssuer.start(MANDATE).url(),
                "quarkus.oidc.external.auth-server-url", TestIssuer.start(EXTERNAL).url(),
                "quarkus.oidc.external.tenant-enabled", "true",
                "mandate.auth.external-tenant-id", EXTERNAL_TENANT);
    }

    @Override
    public void stop() {
        // The issuers live as long as the JVM; other test classes may still use them.
    }
}
