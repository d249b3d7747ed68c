package io.mandate.token.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the MCP authorization specification (revision 2026-07-28) requires of an authorization server's
 * metadata (RFC 8414, and OpenID Connect Discovery, which MCP clients try too), item by item.
 */
@QuarkusTest
class McpAuthorizationServerMetadataIT {

    @Test
    void bothDiscoveryDocumentsSayWhatAnMcpClientNeeds() {
        for (String document : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            given().get(document).then().statusCode(200).contentType("application/json")
                    // The issuer the documents are found under, and the endpoints of the authorization code flow.
                    .body("issuer", equalTo("http://token.test"))
                    .body("authorization_endpoint", equalTo("http://token.test/oauth2/authorize"))
                    .body("token_endpoint", equalTo("http://token.test/oauth2/token"))
                    .body("response_types_supported", hasItem("code"))
                    .body("grant_types_supported", hasItem("authorization_code"))
                    .body("grant_types_supported", hasItem("refresh_token"))
                    // PKCE is required of every MCP client, with S256; a client must refuse a server without it.
                    .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                    // RFC 9207: clients can tell which server answered.
                    .body("authorization_response_iss_parameter_supported", equalTo(true))
                    // Client ID Metadata Documents, and public clients (PKCE alone) at the token endpoint.
                    .body("client_id_metadata_document_supported", equalTo(true))
                    .body("token_endpoint_auth_methods_supported", hasItem("none"))
                    .body("jwks_uri", startsWith("http://token.test/"));
        }
    }
}
