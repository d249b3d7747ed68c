package io.mandate.identity.mapping;

import io.mandate.identity.Human;
import java.time.Instant;
import java.util.List;

/**
 * A human account as callers and event consumers see it: never its password hash. {@code
 * external_subject} is the enterprise IdP's {@code sub} once linked.
 */
public record HumanView(
        String id,
        String tenantId,
        String username,
        String email,
        List<String> roles,
        List<String> permissions,
        String status,
        boolean hasPassword,
        String externalSubject,
        long version,
        Instant passwordChangedAt,
        Instant createdAt,
        Instant updatedAt) {

    public static HumanView of(Human human) {
        return new HumanView(human.id, human.tenantId, human.username, human.email, List.copyOf(human.roles),
                List.copyOf(human.permissions), human.status.name(), human.passwordHash != null,
                human.externalSubject, human.version, human.passwordChangedAt, human.createdAt, human.updatedAt);
    }
}
