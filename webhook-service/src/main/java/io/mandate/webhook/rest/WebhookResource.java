package io.mandate.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Page;
import io.mandate.api.ProblemException;
import io.mandate.webhook.WebhookEndpoint;
import io.mandate.webhook.delivery.Dispatcher;
import io.mandate.webhook.repository.DeliveryQueue;
import io.mandate.webhook.service.EventTypes;
import io.mandate.webhook.service.WebhookAccess;
import io.mandate.webhook.service.WebhookEndpoints;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Webhook endpoints: tenant admins manage their tenant's. */
@Path("/v1/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookEndpoints endpoints;
    private final WebhookAccess access;
    private final DeliveryQueue queue;
    private final Dispatcher dispatcher;

    WebhookResource(WebhookEndpoints endpoints, WebhookAccess access, DeliveryQueue queue, Dispatcher dispatcher) {
        this.endpoints = endpoints;
        this.access = access;
        this.queue = queue;
        this.dispatcher = dispatcher;
    }

    public record CreateWebhookRequest(
            @NotBlank @Size(max = 2048) String url,
            @NotEmpty @Size(max = 100) List<@NotBlank String> events,
            @Size(max = 500) String description) {
    }

    /** An endpoint; {@code secret} only in the creation response (omitted when null). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(String id, String url, List<String> events, String description, boolean active,
            Instant createdAt, String secret) {

        static WebhookView of(WebhookEndpoint endpoint, String secret) {
            return new WebhookView(endpoint.id, endpoint.url, endpoint.events, endpoint.description, endpoint.active,
                    endpoint.createdAt, secret);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateWebhookRequest request,
            @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey) {
        var created = endpoints.create(access.managedTenant(), request.url(), request.events(), request.description(),
                idempotencyKey, access.actor());
        WebhookEndpoint endpoint = created.value().endpoint();
        return IdempotencyKeys.created(created.replayed(), "/v1/webhooks/" + endpoint.id,
                WebhookView.of(endpoint, created.value().secret())).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    public record UpdateWebhookRequest(
            @Size(max = 2048) String url,
            @Size(min = 1, max = 100) List<@NotBlank String> events,
            @Size(max = 500) String description,
            Boolean active) {
    }

    /** Every endpoint of the tenant, newest first; secrets are never listed. */
    @GET
    public Map<String, List<WebhookView>> list() {
        return Map.of("items", endpoints.list(access.managedTenant()).stream().map(e -> WebhookView.of(e, null)).toList());
    }

    @GET
    @Path("/{id}")
    public WebhookView get(@PathParam("id") String id) {
        return WebhookView.of(endpoints.find(access.managedTenant(), id), null);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public WebhookView update(@PathParam("id") String id, @Valid @NotNull UpdateWebhookRequest request) {
        return WebhookView.of(endpoints.update(access.managedTenant(), id, new WebhookEndpoints.Changes(request.url(),
                request.events(), request.description(), request.active()), access.actor()), null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        endpoints.delete(access.managedTenant(), id, access.actor());
        return Response.noContent().build();
    }

    public record SecretView(String secret) {
    }

    /** A new secret (shown here only); the old one keeps signing beside it for 24 h. */
    @POST
    @Path("/{id}/rotate-secret")
    public Response rotateSecret(@PathParam("id") String id) {
        return Response.ok(new SecretView(endpoints.rotateSecret(access.managedTenant(), id, access.actor())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    public record MessageRef(String messageId) {
    }

    /** Sends a {@code webhook.test} event to the endpoint now. */
    @POST
    @Path("/{id}/test")
    public Response test(@PathParam("id") String id) {
        String messageId = endpoints.sendTest(access.managedTenant(), id);
        dispatcher.wake();
        return Response.accepted(new MessageRef(messageId)).build();
    }

    /** The endpoint's messages, newest first; {@code status}: pending, delivered or failed. */
    @GET
    @Path("/{id}/messages")
    public Page<DeliveryQueue.Message> messages(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String endpointId = endpoints.find(access.managedTenant(), id).id;
        if (status != null && !List.of("pending", "delivered", "failed").contains(status)) {
            throw ProblemException.invalid("status", "one of pending, delivered, failed");
        }
        int size = Page.limit(limit);
        return Page.of(queue.messages(endpointId, status, Page.decodeCursor(cursor), size + 1), size,
                DeliveryQueue.Message::id, m -> m);
    }

    /** Every attempt to the endpoint, newest first. */
    @GET
    @Path("/{id}/attempts")
    public Page<DeliveryQueue.Attempt> attempts(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return attemptPage(endpoints.find(access.managedTenant(), id).id, null, limit, cursor);
    }

    /** The attempts of one message, newest first. */
    @GET
    @Path("/{id}/messages/{messageId}/attempts")
    public Page<DeliveryQueue.Attempt> messageAttempts(@PathParam("id") String id,
            @PathParam("messageId") String messageId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return attemptPage(endpoints.find(access.managedTenant(), id).id, messageId, limit, cursor);
    }

    private Page<DeliveryQueue.Attempt> attemptPage(String endpointId, String messageId, String limit, String cursor) {
        int size = Page.limit(limit);
        return Page.of(queue.attempts(endpointId, messageId, Page.numberAfter(cursor), size + 1), size,
                a -> Long.toString(a.id()), a -> a);
    }

    /** Sends one message again, from a fresh retry schedule. */
    @POST
    @Path("/{id}/messages/{messageId}/redeliver")
    public Response redeliver(@PathParam("id") String id, @PathParam("messageId") String messageId) {
        endpoints.redeliver(access.managedTenant(), id, messageId);
        dispatcher.wake();
        return Response.accepted(new MessageRef(messageId)).build();
    }

    public record RecoverRequest(@NotNull Instant since) {
    }

    public record Recovered(int messages) {
    }

    /** Sends again every message that failed since {@code since} (at most 14 days ago). */
    @POST
    @Path("/{id}/recover")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response recover(@PathParam("id") String id, @Valid @NotNull RecoverRequest request) {
        int count = endpoints.recover(access.managedTenant(), id, request.since());
        dispatcher.wake();
        return Response.accepted(new Recovered(count)).build();
    }

    @GET
    @Path("/event-types")
    public Map<String, List<EventTypes.EventType>> eventTypes() {
        return Map.of("items", EventTypes.CATALOGUE);
    }
}
