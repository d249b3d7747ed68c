package io.mandate.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Rendered Kubernetes objects, parsed strictly: each document into its typed model (fabric8's for
 * Kubernetes, the Gateway API and the Prometheus Operator; Strimzi's own), and every field the
 * model does not know (the models keep those aside instead of failing) reported as an error, as a
 * server's strict field validation would. Then the rules a server does not check but Mandate's chart
 * promises: resources, probes, security context, a PodDisruptionBudget per Deployment, selectors
 * without the version.
 */
final class Manifests {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));
    /** Kinds no registry ships a model of: ours, of the fields the chart uses. */
    private static final Map<String, Class<?>> OUR_MODELS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", CloudNativePg.class,
            "keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class,
            "keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class,
            "external-secrets.io/v1/ExternalSecret", ExternalSecrets.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper TYPED = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    final List<HasMetadata> objects = new ArrayList<>();
    /** The objects of {@link #OUR_MODELS}. */
    final List<Object> others = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    /** Parses every document of {@code yaml} (the output of {@code helm template}). */
    static Manifests parse(String yaml) throws IOException {
        Manifests manifests = new Manifests();
        for (Object document : YAML.readerFor(Object.class).readValues(yaml).readAll()) {
            if (document instanceof Map<?, ?> map) {
                manifests.add(map);
            }
        }
        return manifests;
    }

    private void add(Map<?, ?> document) {
        String kind = document.get("apiVersion") + "/" + document.get("kind");
        Class<? extends HasMetadata> type = KINDS.get(kind);
        Object name = document.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
        Class<?> ours = OUR_MODELS.get(kind);
        if (ours != null) {
            try {
                others.add(TYPED.convertValue(document, ours));
            } catch (IllegalArgumentException e) {
                errors.add(kind + " " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            return;
        }
        if (type == null) {
            errors.add(kind + " " + name + ": no model for this kind");
            return;
        }
        try {
            HasMetadata object = TYPED.convertValue(document, type);
            unknownFields(object, kind + " " + name, new IdentityHashMap<>());
            objects.add(object);
        } catch (IllegalArgumentException e) {
            String where = e.getCause() instanceof JsonMappingException wrong ? " at " + wrong.getPathReference() : "";
            errors.add(kind + " " + name + ": " + e.getMessage().lines().findFirst().orElse("") + where);
        }
    }

    /** Reports the fields a model parked in its additional properties, with where they are. */
    private void unknownFields(Object value, String path, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "." + key, seen));
            return;
        }
        String type = value.getClass().getName();
        if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    errors.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + property(getter.getName()), seen);
            }
        }
    }

    private static String property(String getter) {
        String name = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    <T> List<T> all(Class<T> type) {
        return Stream.concat(objects.stream(), others.stream()).filter(type::isInstance)
                .map(type::cast).toList();
    }

    /** Mandate's own rules for what the chart renders. */
    List<String> ruleViolations() {
        List<String> violations = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            String name = "Deployment " + deployment.getMetadata().getName();
            Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            if (selector.containsKey("app.kubernetes.io/version")) {
                violations.add(name + ": the selector contains the version (selectors cannot change on upgrade)");
            }
            if (!labels.entrySet().containsAll(selector.entrySet())) {
                violations.add(name + ": the selector does not match the pod's labels");
            }
            if (all(PodDisruptionBudget.class).stream()
                    .noneMatch(pdb -> selector.equals(pdb.getSpec().getSelector().getMatchLabels()))) {
                violations.add(name + ": no PodDisruptionBudget selects it");
            }
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())
                    || pod.getSecurityContext().getSeccompProfile() == null
                    || !"RuntimeDefault".equals(pod.getSecurityContext().getSeccompProfile().getType())) {
                violations.add(name + ": the pod must run as non-root with the RuntimeDefault seccomp profile");
            }
            for (Container container : pod.getContainers()) {
                violations.addAll(container(name + " container " + container.getName(), container));
            }
        }
        return violations;
    }

    private static List<String> container(String name, Container c) {
        List<String> violations = new ArrayList<>();
        if (c.getStartupProbe() == null || c.getLivenessProbe() == null || c.getReadinessProbe() == null) {
            violations.add(name + ": needs startup, liveness and readiness probes");
        } else {
            probe(violations, name, "startup", c.getStartupProbe().getHttpGet(), "/q/health/started");
            probe(violations, name, "liveness", c.getLivenessProbe().getHttpGet(), "/q/health/live");
            probe(violations, name, "readiness", c.getReadinessProbe().getHttpGet(), "/q/health/ready");
        }
        if (c.getResources() == null || c.getResources().getRequests() == null
                || !c.getResources().getRequests().keySet().containsAll(Set.of("cpu", "memory"))
                || c.getResources().getLimits() == null || !c.getResources().getLimits().containsKey("memory")) {
            violations.add(name + ": needs cpu and memory requests and a memory limit");
        } else {
            for (Map<String, Quantity> quantities : List.of(c.getResources().getRequests(), c.getResources().getLimits())) {
                quantities.forEach((resource, quantity) -> {
                    try {
                        Quantity.getAmountInBytes(quantity);
                    } catch (IllegalArgumentException e) {
                        violations.add(name + ": " + resource + " " + quantity + " is not a quantity");
                    }
                });
            }
        }
        var security = c.getSecurityContext();
        if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                || !Boolean.TRUE.equals(security.getRunAsNonRoot()) || security.getCapabilities() == null
                || !List.of("ALL").equals(security.getCapabilities().getDrop())) {
            violations.add(name + ": needs a read-only root, no privilege escalation, non-root, all capabilities dropped");
        }
        if (c.getImage() == null || c.getImage().endsWith(":latest") || !c.getImage().contains(":")) {
            violations.add(name + ": the image needs a tag other than latest");
        }
        return violations;
    }

    private static void probe(List<String> violations, String name, String which,
            HTTPGetAction get, String path) {
        if (get == null || !path.equals(get.getPath())) {
            violations.add(name + ": the " + which + " probe must GET " + path);
        }
    }

    /** The names of the environment variables each container of each Deployment sets. */
    Map<String, List<String>> environment() {
        Map<String, List<String>> env = new TreeMap<>();
        for (Deployment deployment : all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                env.put(container.getName(), container.getEnv().stream().map(EnvVar::getName)
                        .filter(Objects::nonNull).toList());
            }
        }
        return env;
    }
}
