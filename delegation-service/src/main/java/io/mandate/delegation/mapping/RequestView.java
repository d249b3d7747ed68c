package io.mandate.delegation.mapping;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.mandate.delegation.DelegationRequest;
import java.time.Instant;
import java.util.List;

/** A delegation request as callers see it; {@code expires_in} is the grant's asked-for lifetime. */
public record RequestView(String id, String tenantId, String agentId, String userId, List<String> scopes,
        String purpose, long expiresIn, String status, Instant createdAt, Instant expiresAt, Instant decidedAt,
        String decidedBy, String delegationId, @JsonRawValue String authorizationDetails) {

    public static RequestView of(DelegationRequest request) {
        return new RequestView(request.id, request.tenantId, request.agentId, request.userId, request.scopes,
                request.purpose, request.grantSeconds, request.status.name(), request.createdAt, request.expiresAt,
                request.decidedAt, request.decidedBy, request.delegationId, request.authorizationDetails);
    }
}
