package io.mandate.identity.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.mapping.AgentView;
import io.mandate.identity.service.Agents;
import io.mandate.identity.service.PublicKeys;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Agents that onboarded themselves with an OpenPGP key (SWARM): token-service registers one once the agent
 * decrypted its challenge, with the permissions the tenant gives such agents. Never anyone else.
 */
@Path("/v1/self-registered-agents")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SelfRegisteredAgentResource {

    private final Agents agents;
    private final CurrentCaller caller;

    SelfRegisteredAgentResource(Agents agents, CurrentCaller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    public record SelfRegistration(@Size(max = 200) String name, @NotBlank @Size(max = 20_000) String pgpPublicKey,
            @NotNull List<String> permissions) {
    }

    /** The agent, and its PGP credential (trust level 3: the key was proven). */
    public record Registered(AgentView agent, String credentialId, String fingerprint) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull SelfRegistration request) {
        Caller who = caller.get();
        if (!who.has(Caller.AGENT_REGISTRAR)) {
            throw ProblemException.forbidden("forbidden", "only token-service registers agents that onboarded themselves");
        }
        PublicKeys.Checked key = PublicKeys.pgp(request.pgpPublicKey());
        var registered = agents.registerPgpAgent(caller.tenantId(), request.name(), key, request.permissions(), who.actor());
        return Response.status(201).entity(new Registered(AgentView.of(registered.agent()), registered.credential().id,
                key.keyId())).build();
    }
}
