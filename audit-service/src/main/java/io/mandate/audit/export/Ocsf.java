package io.mandate.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mandate.audit.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * An audit record in OCSF 1.3 form, for SIEMs. Agent, human and credential lifecycle → Account
 * Change (3001); token issuance and verification → Authentication (3002); delegation → User Access
 * Management (3005); everything else → API Activity (6003). {@code type_uid = class_uid * 100 +
 * activity_id}; the Mandate event stays whole under {@code unmapped}.
 */
@ApplicationScoped
public class Ocsf {

    public static final String VERSION = "1.3.0";

    record Activity(int classUid, int activityId, String activityName) {
    }

    private static final Map<Integer, String> CLASS_NAMES = Map.of(3001, "Account Change", 3002, "Authentication",
            3005, "User Access Management", 6003, "API Activity");

    private static final Map<String, Activity> ACTIVITIES = Map.ofEntries(
            Map.entry("agent.registered", new Activity(3001, 1, "Create")),
            Map.entry("human.registered", new Activity(3001, 1, "Create")),
            Map.entry("agent.reactivated", new Activity(3001, 2, "Enable")),
            Map.entry("agent.suspended", new Activity(3001, 5, "Disable")),
            Map.entry("human.disabled", new Activity(3001, 5, "Disable")),
            Map.entry("agent.revoked", new Activity(3001, 6, "Delete")),
            Map.entry("agent.permissions_changed", new Activity(3001, 7, "Attach Policy")),
            Map.entry("agent.updated", new Activity(3001, 99, "Other")),
            Map.entry("agent.tier_changed", new Activity(3001, 99, "Other")),
            Map.entry("agent.credential_added", new Activity(3001, 99, "Other")),
            Map.entry("agent.credential_revoked", new Activity(3001, 99, "Other")),
            Map.entry("human.updated", new Activity(3001, 99, "Other")),
            Map.entry("permission.added", new Activity(3001, 99, "Other")),
            Map.entry("permission.updated", new Activity(3001, 99, "Other")),
            Map.entry("resource.registered", new Activity(3001, 99, "Other")),
            Map.entry("resource.updated", new Activity(3001, 99, "Other")),
            Map.entry("resource.removed", new Activity(3001, 99, "Other")),
            Map.entry("invitation.created", new Activity(3001, 99, "Other")),
            Map.entry("invitation.accepted", new Activity(3001, 99, "Other")),
            Map.entry("invitation.revoked", new Activity(3001, 99, "Other")),
            Map.entry("permission.removed", new Activity(3001, 99, "Other")),
            Map.entry("agent.verified", new Activity(3002, 1, "Logon")),
            Map.entry("agent.verification_failed", new Activity(3002, 1, "Logon")),
            Map.entry("human.logged_in", new Activity(3002, 1, "Logon")),
            Map.entry("human.login_failed", new Activity(3002, 1, "Logon")),
            Map.entry("token.revoked", new Activity(3002, 2, "Logoff")),
            Map.entry("token.exchanged", new Activity(3002, 4, "Service Ticket Request")),
            Map.entry("token.refreshed", new Activity(3002, 5, "Service Ticket Renew")),
            Map.entry("refresh_token.reuse_detected", new Activity(3002, 99, "Other")),
            Map.entry("delegation.granted", new Activity(3005, 1, "Assign Privileges")),
            Map.entry("delegation.approved", new Activity(3005, 1, "Assign Privileges")),
            Map.entry("consent.granted", new Activity(3005, 1, "Assign Privileges")),
            Map.entry("consent.revoked", new Activity(3005, 2, "Revoke Privileges")),
            Map.entry("delegation.revoked", new Activity(3005, 2, "Revoke Privileges")),
            Map.entry("delegation.expired", new Activity(3005, 2, "Revoke Privileges")),
            Map.entry("delegation.denied", new Activity(3005, 99, "Other")),
            Map.entry("delegation.requested", new Activity(3005, 99, "Other")));

    private final ObjectMapper mapper;

    Ocsf(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static Activity activityOf(String type) {
        Activity known = ACTIVITIES.get(type);
        if (known != null) {
            return known;
        }
        if (type.endsWith("created")) { // tenant.created, webhook.endpoint_created
            return new Activity(6003, 1, "Create");
        }
        return type.endsWith("_rotated") || type.endsWith("_disabled") ? new Activity(6003, 3, "Update")
                : new Activity(6003, 99, "Other");
    }

    public ObjectNode map(AuditEvent row) {
        JsonNode event = row.eventJson(mapper);
        JsonNode data = event.path("data");
        Activity activity = activityOf(row.type);
        boolean failed = "failure".equals(row.outcome);
        ObjectNode out = mapper.createObjectNode();
        out.put("class_uid", activity.classUid());
        out.put("class_name", CLASS_NAMES.get(activity.classUid()));
        out.put("category_uid", activity.classUid() / 1000);
        out.put("category_name", activity.classUid() / 1000 == 3 ? "Identity & Access Management" : "Application Activity");
        out.put("activity_id", activity.activityId());
        out.put("activity_name", activity.activityName());
        out.put("type_uid", activity.classUid() * 100L + activity.activityId());
        out.put("type_name", CLASS_NAMES.get(activity.classUid()) + ": " + activity.activityName());
        out.put("time", row.time.toEpochMilli());
        out.put("severity_id", failed ? 3 : 1);
        out.put("severity", failed ? "Medium" : "Informational");
        out.put("status_id", failed ? 2 : 1);
        out.put("status", failed ? "Failure" : "Success");
        if (data.hasNonNull("reason")) {
            out.put("status_detail", data.get("reason").asText());
        }
        out.put("message", row.type);

        ObjectNode metadata = out.putObject("metadata");
        metadata.put("version", VERSION);
        metadata.put("uid", row.id);
        metadata.put("log_name", "mandate.audit");
        metadata.put("event_code", row.type);
        metadata.put("original_time", event.path("time").asText());
        metadata.put("logged_time", row.recordedAt.toEpochMilli());
        if (row.tenantId != null) {
            metadata.put("tenant_uid", row.tenantId);
        }
        ObjectNode product = metadata.putObject("product");
        product.put("name", "Mandate");
        product.put("vendor_name", "Mandate");
        product.putObject("feature").put("name", row.source);

        ObjectNode actor = out.putObject("actor");
        ObjectNode actorUser = actor.putObject("user");
        actorUser.put("uid", row.actorId != null ? row.actorId : "system");
        actorUser.put("type", row.actorType != null ? row.actorType : "system");

        ObjectNode src = out.putObject("src_endpoint");
        src.put("svc_name", row.source);
        if (data.hasNonNull("ip")) { // the client's address, in the events of token-service
            src.put("ip", data.get("ip").asText());
        }

        String subjectId = subjectOf(row, data);
        ObjectNode subject = mapper.createObjectNode();
        subject.put("uid", subjectId);
        subject.put("type", subjectId.startsWith("usr_") ? "User" : "Agent");
        if (activity.classUid() == 3001 || activity.classUid() == 3002 || activity.classUid() == 3005) {
            out.set("user", subject);
        }
        if (activity.classUid() == 3005) {
            var privileges = out.putArray("privileges");
            data.path("scopes").forEach(scope -> privileges.add(scope.asText()));
        }
        if (activity.classUid() == 6003) {
            ObjectNode api = out.putObject("api");
            api.put("operation", row.type);
            api.putObject("service").put("name", row.source);
            out.set("resources", mapper.createArrayNode().add(mapper.createObjectNode().put("uid", row.subject)
                    .put("type", row.type.substring(0, row.type.indexOf('.')))));
        }
        out.set("unmapped", event);
        return out;
    }

    /** Whom the event is about: the agent, else the human, else the subject. */
    private static String subjectOf(AuditEvent row, JsonNode data) {
        if (row.agentId != null) {
            return row.agentId;
        }
        for (String field : new String[] {"user_id", "human_id"}) {
            if (data.hasNonNull(field)) {
                return data.get(field).asText();
            }
        }
        return row.subject != null ? row.subject : row.id;
    }
}
