package io.mandate.eventing.envelope;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 event in structured JSON mode, with Mandate's extension attributes
 * ({@code tenantid}, {@code partitionkey}, {@code authtype}, {@code authid}) and the distributed tracing
 * extension's {@code traceparent} (set while tracing is on; see {@link io.mandate.eventing.tracing.EventTracing}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudEvent(
        @JsonProperty("id") String id,
        @JsonProperty("source") String source,
        @JsonProperty("specversion") String specversion,
        @JsonProperty("type") String type,
        @JsonProperty("time") String time,
        @JsonProperty("subject") String subject,
        @JsonProperty("datacontenttype") String datacontenttype,
        @JsonProperty("tenantid") String tenantid,
        @JsonProperty("partitionkey") String partitionkey,
        @JsonProperty("authtype") String authtype,
        @JsonProperty("authid") String authid,
        @JsonProperty("traceparent") String traceparent,
        @JsonProperty("data") JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    /** The payload field as text, or null when absent. */
    public String dataText(String field) {
        JsonNode node = data == null ? null : data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
