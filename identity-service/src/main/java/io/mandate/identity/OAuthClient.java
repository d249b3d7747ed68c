package io.mandate.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * How an agent or app signs people in through the browser (OAuth authorization code): its kind, the
 * redirect URIs it may send people back to, a logo for the consent page, and how it authenticates at
 * the token endpoint. The agent's name is the name people see. Null on an agent that only gets tokens
 * for itself.
 *
 * @param type {@code agent} (acts for the person: its tokens carry {@code act}) or {@code app} (the person's
 *         own application: no {@code act})
 * @param tokenEndpointAuthMethod {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt}
 *         or {@code none} (a public client: PKCE alone, no credential)
 * @param clientIdUrl for a client that identified itself by a Client ID Metadata Document: the document's
 *         https URL, its OAuth {@code client_id}; null for a client registered here
 * @param registration how a client that registered itself did: {@code metadata_document} or {@code dynamic}
 *         (RFC 7591); null for a client a tenant admin or owner registered. A self-registered client gets tokens
 *         only through a person's consent.
 */
public record OAuthClient(String type, List<String> redirectUris, String logoUri, String tokenEndpointAuthMethod,
        String clientIdUrl, String registration) {

    public static final String METADATA_DOCUMENT = "metadata_document";
    public static final String DYNAMIC = "dynamic";

    public static final List<String> TYPES = List.of("agent", "app");
    public static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt", "none");

    /** A public client (RFC 6749 §2.1) holds no credential. */
    @JsonIgnore
    public boolean isPublic() {
        return "none".equals(tokenEndpointAuthMethod);
    }
}
