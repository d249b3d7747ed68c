package io.mandate.eventing.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A change to a tenant's permission catalogue as identity-service announces it ({@code permission.added},
 * {@code .updated}, {@code .removed}), as the services that keep a catalogue projection read it.
 * {@code removed} entries carry no description and imply nothing.
 */
public record PermissionChange(String tenantId, String permission, String description, List<String> implies,
        boolean removed) {

    /**
     * The change {@code event} announces; empty for events of other types.
     *
     * @throws BadEventException when the event lacks its tenant or permission
     */
    public static Optional<PermissionChange> of(CloudEvent event) {
        if (!event.type().startsWith("permission.")) {
            return Optional.empty();
        }
        JsonNode data = event.data();
        String tenantId = data == null ? null : data.path("tenant_id").asText(null);
        String permission = data == null ? null : data.path("permission").asText(null);
        if (tenantId == null || permission == null) {
            throw new BadEventException(event.type() + " without tenant_id or permission");
        }
        List<String> implies = new ArrayList<>();
        data.path("implies").forEach(implied -> implies.add(implied.asText()));
        boolean removed = event.type().equals("permission.removed");
        return Optional.of(new PermissionChange(tenantId, permission,
                removed ? null : data.path("description").asText(null), removed ? List.of() : List.copyOf(implies), removed));
    }
}
