package io.mandate.webhook.service;

import io.mandate.api.ProblemException;
import io.mandate.auth.CurrentCaller;
import io.mandate.eventing.envelope.Actor;
import jakarta.enterprise.context.ApplicationScoped;

/** Who manages a tenant's webhook endpoints, and which tenant a request is about. */
@ApplicationScoped
public class WebhookAccess {

    private final CurrentCaller caller;

    WebhookAccess(CurrentCaller caller) {
        this.caller = caller;
    }

    /**
     * The tenant a tenant admin manages (for the platform admin, the one it names); 403 for anyone
     * else.
     */
    public String managedTenant() {
        if (!caller.get().isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin manages webhooks");
        }
        return caller.tenantId();
    }

    /** The caller, as the actor of the events its changes publish. */
    public Actor actor() {
        return caller.get().actor();
    }
}
