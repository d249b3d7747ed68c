package io.mandate.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The parts of KEDA's {@code keda.sh/v1alpha1} {@code ScaledObject} and {@code TriggerAuthentication} the
 * chart renders, as KEDA's reference documents them (no registry ships a model): parsed with unknown
 * fields refused. A trigger's {@code metadata} is free-form in KEDA too.
 */
final class Keda {

    private Keda() {
    }

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    record ScaledObjectSpec(Target scaleTargetRef, Integer minReplicaCount, Integer maxReplicaCount,
            List<Trigger> triggers) {
    }

    record Target(String name, String kind, String apiVersion) {
    }

    record Trigger(String type, Map<String, String> metadata, Reference authenticationRef) {
    }

    record Reference(String name) {
    }

    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, AuthenticationSpec spec) {
    }

    record AuthenticationSpec(List<EnvParameter> env, List<SecretParameter> secretTargetRef) {
    }

    record EnvParameter(String parameter, String name, String containerName) {
    }

    record SecretParameter(String parameter, String name, String key) {
    }
}
