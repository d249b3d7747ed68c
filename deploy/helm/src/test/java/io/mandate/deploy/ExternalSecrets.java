package io.mandate.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * The part of the External Secrets Operator's {@code external-secrets.io/v1} {@code ExternalSecret} the
 * chart renders, as its reference documents the fields (no registry ships a model): parsed with unknown
 * fields refused.
 */
record ExternalSecrets(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(String refreshInterval, StoreRef secretStoreRef, Target target, List<Data> data) {
    }

    record StoreRef(String kind, String name) {
    }

    record Target(String name, String deletionPolicy, String creationPolicy) {
    }

    record Data(String secretKey, RemoteRef remoteRef) {
    }

    record RemoteRef(String key, String property) {
    }
}
