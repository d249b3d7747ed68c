package io.mandate.token.rest;

import com.nimbusds.jose.JWSAlgorithm;
import io.mandate.api.ProblemException;
import io.mandate.jose.ClientSignatures;
import io.mandate.token.authorize.DynamicRegistrations;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.grant.Grant;
import io.mandate.token.keys.SigningKeys;
import io.mandate.token.repository.ResourceProjectionRepository;
import io.mandate.token.service.ClientAuthenticator;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 metadata and the JWK set, which list exactly what this server supports today; and the RFC 9728
 * metadata of the resources that have token-service host it.
 */
@Path("/.well-known")
@Produces(MediaType.APPLICATION_JSON)
public class WellKnownResource {

    private final SigningKeys keys;
    private final TokenConfig config;
    private final List<String> grantTypes;
    private final ResourceProjectionRepository resources;
    private final boolean registration;

    WellKnownResource(SigningKeys keys, TokenConfig config, Instance<Grant> grants, ResourceProjectionRepository resources,
            DynamicRegistrations registrations) {
        this.resources = resources;
        this.registration = registrations.offered();
        this.grantTypes = grants.stream().map(Grant::type).sorted().toList();
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/jwks.json")
    public Response jwks() {
        return Response.ok(keys.jwks().toString(true))
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + config.jwksMaxAge().toSeconds()).build();
    }

    /** What identity-service says of the resource (its URI, scopes, this issuer, DPoP), for clients it sends here. */
    @GET
    @Path("/oauth-protected-resource/{resourceId}")
    public Response protectedResource(@PathParam("resourceId") String resourceId) {
        String metadata = resources.hostedMetadata(resourceId).orElseThrow(() -> ProblemException.notFound(
                "resource_not_found", "no resource with hosted metadata is registered as " + resourceId));
        return Response.ok(metadata).header(HttpHeaders.CACHE_CONTROL, "public, max-age=60").build();
    }

    @GET
    @Path("/oauth-authorization-server")
    public Map<String, Object> authorizationServer() {
        return metadata();
    }

    @GET
    @Path("/openid-configuration")
    public Map<String, Object> openidConfiguration() {
        return metadata();
    }

    private Map<String, Object> metadata() {
        String issuer = config.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("pushed_authorization_request_endpoint", issuer + "/oauth2/par");
        metadata.put("jwks_uri", issuer + "/.well-known/jwks.json");
        metadata.put("introspection_endpoint", issuer + "/oauth2/introspect");
        metadata.put("introspection_endpoint_auth_methods_supported", ClientAuthenticator.METHODS);
        metadata.put("revocation_endpoint", issuer + "/oauth2/revoke");
        metadata.put("revocation_endpoint_auth_methods_supported", ClientAuthenticator.METHODS);
        metadata.put("grant_types_supported", grantTypes);
        List<String> clientMethods = new ArrayList<>(ClientAuthenticator.METHODS);
        clientMethods.add("none"); // public clients, at the token endpoint only (with PKCE)
        metadata.put("token_endpoint_auth_methods_supported", clientMethods);
        List<String> clientAlgorithms = ClientSignatures.ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList();
        metadata.put("token_endpoint_auth_signing_alg_values_supported", clientAlgorithms);
        metadata.put("dpop_signing_alg_values_supported", clientAlgorithms);
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        // An https client_id names a Client ID Metadata Document (each tenant decides whom it accepts).
        metadata.put("client_id_metadata_document_supported", true);
        if (registration) { // RFC 7591, where some tenant takes registrations
            metadata.put("registration_endpoint", issuer + "/oauth2/register");
        }
        metadata.put("prompt_values_supported", List.of("none", "login", "consent"));
        metadata.put("backchannel_authentication_endpoint", issuer + "/oauth2/bc-authorize");
        metadata.put("backchannel_token_delivery_modes_supported", List.of("poll"));
        metadata.put("backchannel_user_code_parameter_supported", false);
        metadata.put("scopes_supported", List.of());
        metadata.put("access_token_signing_alg_values_supported",
                keys.jwks().getKeys().stream().map(k -> k.getAlgorithm().getName()).distinct().sorted().toList());
        return metadata;
    }
}
