package io.mandate.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A CloudEvent as a Mandate service writes it to Kafka (docs/events.md), for tests that put events on
 * a topic themselves: {@code TestEvents.from("identity-service", "agent.suspended").subject(id)
 * .tenant(t).data(Map.of(...)).json()}. A fresh id and the current time unless set.
 */
public final class TestEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> event = new LinkedHashMap<>();

    private TestEvents(String source, String type) {
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", source);
        event.put("type", type);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
    }

    /** An event of {@code type} from {@code service} (its source: {@code /mandate/<service>}). */
    public static TestEvents from(String service, String type) {
        return new TestEvents("/mandate/" + service, type);
    }

    /** An event with a {@code source} no Mandate service has, or that the topic's owner does not use. */
    public static TestEvents withSource(String source, String type) {
        return new TestEvents(source, type);
    }

    public TestEvents id(String id) {
        return put("id", id);
    }

    public TestEvents subject(String subject) {
        return put("subject", subject);
    }

    public TestEvents time(Object time) {
        return put("time", time.toString());
    }

    public TestEvents tenant(String tenantId) {
        return put("tenantid", tenantId);
    }

    public TestEvents partitionKey(String key) {
        return put("partitionkey", key);
    }

    /** Who acted ({@code authtype} and {@code authid}). */
    public TestEvents actor(String type, String id) {
        put("authtype", type);
        return put("authid", id);
    }

    public TestEvents data(Map<String, ?> data) {
        return put("data", data);
    }

    /** {@code data} given as JSON text, written as it is (numbers and escapes unchanged). */
    public TestEvents data(String json) {
        try {
            JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data is not JSON: " + json, e);
        }
        return put("data", new RawValue(json));
    }

    /** Any other attribute, or null to leave one out. */
    public TestEvents put(String attribute, Object value) {
        if (value == null) {
            event.remove(attribute);
        } else {
            event.put(attribute, value);
        }
        return this;
    }

    public String id() {
        return (String) event.get("id");
    }

    public String json() {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return json();
    }
}
