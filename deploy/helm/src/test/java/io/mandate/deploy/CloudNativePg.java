package io.mandate.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * The part of CloudNativePG's {@code postgresql.cnpg.io/v1} {@code Cluster} the chart renders, as its
 * reference documents the fields: no registry ships a model of it, so this one is parsed with unknown
 * fields refused, which catches a misspelled or misplaced field among these.
 */
record CloudNativePg(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(int instances, Storage storage, Bootstrap bootstrap, Managed managed) {
    }

    record Storage(String size, String storageClass) {
    }

    record Bootstrap(InitDb initdb) {
    }

    record InitDb(String database, String owner, SecretRef secret) {
    }

    record Managed(List<Role> roles) {
    }

    record Role(String name, String ensure, Boolean login, SecretRef passwordSecret) {
    }

    record SecretRef(String name) {
    }
}
