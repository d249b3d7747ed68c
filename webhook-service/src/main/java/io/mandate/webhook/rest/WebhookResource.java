package io.mandate.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.eventing.Actor;
import io.mandate.webhook.WebhookEndpoint;
import io.mandate.webhook.service.EventTypes;
import io.mandate.webhook.service.WebhookEndpointService;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Webhook endpoints (SPEC §4 webhook-service): tenant admins manage their tenant's. */
@Path("/v1/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookEndpointService endpoints;
    private final CurrentCaller caller;

    WebhookResource(WebhookEndpointService endpoints, CurrentCaller caller) {
        this.endpoints = endpoints;
        this.caller = caller;
    }

    /** The tenant a tenant admin (or the platform admin) manages; 403 for anyone else. */
    private String managedTenant() {
        Caller who = caller.get();
        if (!who.isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin manages webhooks");
        }
        return caller.tenantId();
    }

    private Actor actor() {
        Caller who = caller.get();
        return new Actor(who.actorType(), who.id());
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
    public Response create(@Valid @NotNull CreateWebhookRequest request) {
        var created = endpoints.create(managedTenant(), request.url(), request.events(), request.description(),
                actor());
        return Response.created(URI.create("/v1/webhooks/" + created.endpoint().id))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(WebhookView.of(created.endpoint(), created.secret())).build();
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
        return Map.of("items", endpoints.list(managedTenant()).stream().map(e -> WebhookView.of(e, null)).toList());
    }

    @GET
    @Path("/{id}")
    public WebhookView get(@PathParam("id") String id) {
        return WebhookView.of(endpoints.find(managedTenant(), id), null);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public WebhookView update(@PathParam("id") String id, @Valid @NotNull UpdateWebhookRequest request) {
        return WebhookView.of(endpoints.update(managedTenant(), id, new WebhookEndpointService.Changes(request.url(),
                request.events(), request.description(), request.active()), actor()), null);
    }

    @GET
    @Path("/event-types")
    public Map<String, List<String>> eventTypes() {
        return Map.of("items", EventTypes.ALL);
    }
}
