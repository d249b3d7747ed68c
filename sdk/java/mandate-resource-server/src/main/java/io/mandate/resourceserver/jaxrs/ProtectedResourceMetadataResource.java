package io.mandate.resourceserver.jaxrs;

import io.mandate.resourceserver.MandateResourceServer;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Serves this API's RFC 9728 metadata at its well-known path, open to anyone. */
@Path("/.well-known/oauth-protected-resource")
@PermitAll
public class ProtectedResourceMetadataResource {

    private final MandateResourceServer server;

    @Inject
    public ProtectedResourceMetadataResource(MandateResourceServer server) {
        this.server = server;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> root() {
        return document("");
    }

    @GET
    @Path("{path: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> forPath(@PathParam("path") String path) {
        return document("/" + path);
    }

    private Map<String, Object> document(String suffix) {
        if (!server.metadata().path().equals("/.well-known/oauth-protected-resource" + suffix)) {
            throw new NotFoundException();
        }
        return server.metadata().document();
    }
}
