package io.mandate.identity.rest;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.auth.CurrentCaller;
import io.mandate.identity.mapping.HumanView;
import io.mandate.identity.service.Invitations;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * People who sign up on token-service's page, with an invitation or to an open tenant. Only token-service
 * calls this (role {@code person_registrar}): it limits the attempts per address and shows the page.
 */
@Path("/v1/signups")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SignupResource {

    private final Invitations invitations;
    private final CurrentCaller caller;

    SignupResource(Invitations invitations, CurrentCaller caller) {
        this.invitations = invitations;
        this.caller = caller;
    }

    public record SignupRequest(@Size(max = 128) String invitation, @Size(max = 64) String tenantId,
            @NotNull @Pattern(regexp = HumanResource.USERNAME, message = "3-64 letters, digits, '.', '_', '@' or '-'")
            String username,
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = 256) String password) {

        @Override
        public String toString() {
            return "SignupRequest[" + username + "]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signUp(@Valid @NotNull SignupRequest request) {
        Caller who = caller.get();
        if (!who.has(Caller.PERSON_REGISTRAR)) {
            throw ProblemException.forbidden("forbidden", "people sign up on token-service's page");
        }
        var human = invitations.signUp(new Invitations.SignUp(request.invitation(), request.tenantId(), request.username(),
                request.email(), request.password()), who.actor());
        return Response.status(201).entity(HumanView.of(human)).build();
    }
}
