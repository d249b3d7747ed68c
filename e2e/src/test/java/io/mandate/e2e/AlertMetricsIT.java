package io.mandate.e2e;

import static io.mandate.e2e.Platform.register;
import static io.mandate.e2e.Platform.requestToken;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's alerts (its PrometheusRule) are written against metric names: every one of them must
 * be one the running services expose, or the alert never fires.
 */
class AlertMetricsIT {

    private static final Path RULES = Path.of(System.getProperty("mandate.root", ".."))
            .resolve("deploy/helm/mandate/templates/prometheusrule.yaml");
    private static final Pattern METRIC = Pattern.compile("\\b((?:mandate|http_server|kafka_consumer)_[a-z_]+)\\b");
    /** Registered at the first dead letter, which this run need not have; InboxIT checks its name. */
    private static final Set<String> ONLY_ONCE_IT_HAPPENS = Set.of("mandate_events_dead_lettered_total");

    @BeforeAll
    static void platform() throws Exception {
        Platform.start();
    }

    @Test
    void everyMetricTheAlertsUseIsExposed() throws Exception {
        Set<String> used = new TreeSet<>();
        Matcher names = METRIC.matcher(Files.readString(RULES));
        while (names.find()) {
            used.add(names.group(1));
        }
        used.removeAll(ONLY_ONCE_IT_HAPPENS);
        // Traffic first: a token, so that the token endpoint's timer and token-service's consumers have values.
        requestToken(register("alert-metrics")).then().statusCode(200);
        List<ServiceProcess> services = List.of(Platform.token, Platform.identity, Platform.delegation, Platform.audit,
                Platform.webhook);
        assertEquals(Set.of(), await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> missing(used, services), Set::isEmpty));
    }

    private static Set<String> missing(Set<String> used, List<ServiceProcess> services) {
        Set<String> missing = new TreeSet<>(used);
        for (ServiceProcess service : services) {
            String exposition = given().baseUri(service.url()).get("/q/metrics").then().statusCode(200).extract()
                    .asString();
            missing.removeIf(name -> exposition.lines().anyMatch(line -> line.startsWith(name + "{")
                    || line.startsWith(name + " ")));
        }
        return missing;
    }
}
