package io.mandate.examples.reports;

import io.mandate.resourceserver.MandateToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Any valid token: what mandate-resource-server tells the API about its caller. */
@Path("/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    @GET
    public Map<String, Object> whoAmI(@Context SecurityContext security) {
        return describe(ReportsResource.caller(security));
    }

    static Map<String, Object> describe(MandateToken token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", token.subject());
        view.put("tenant_id", token.tenantId());
        view.put("agent_id", token.agentId());
        view.put("trust_level", token.trustLevel());
        view.put("scopes", token.scopes());
        view.put("act", token.actors());
        view.put("delegation_id", token.delegationId());
        view.put("dpop_bound", token.dpopBound());
        view.put("scheme", token.dpopBound() ? "DPoP" : "Bearer");
        return view;
    }
}
