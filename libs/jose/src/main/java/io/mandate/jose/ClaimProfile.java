package io.mandate.jose;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The claims a tenant's or a resource's access tokens may carry beyond RFC 9068's, for backends written
 * against the systems Mandate replaces: {@code agent_id}, {@code scopes} (the scopes as a JSON array beside
 * the {@code scope} string), {@code fingerprint} (the PGP key a challenge proved) and {@code metadata.<key>}
 * (that key of the agent's metadata, as a claim of that name). None by default; a metadata key never
 * replaces a claim Mandate sets itself.
 */
public final class ClaimProfile {

    public static final String AGENT_ID = "agent_id";
    public static final String SCOPES = "scopes";
    public static final String FINGERPRINT = "fingerprint";
    public static final String METADATA = "metadata.";

    private static final int MAX = 20;
    private static final Pattern NAME = Pattern.compile("agent_id|scopes|fingerprint|metadata\\.[A-Za-z0-9_]{1,64}");
    /** What Mandate's tokens may carry of their own: never taken from an agent's metadata. */
    private static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id",
            "scope", "scopes", "tenant_id", "tier", "trust_level", "act", "cnf", "delegation_id", "authorization_details",
            "agent_id", "fingerprint", "typ", "azp", "auth_time", "acr", "amr", "roles", "email", "may_act");

    private ClaimProfile() {
    }

    /**
     * A profile as stored: known names, once each, in order.
     *
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static List<String> checked(List<String> claims) {
        if (claims.size() > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " claims");
        }
        for (String claim : claims) {
            if (claim == null || !NAME.matcher(claim).matches()) {
                throw new IllegalArgumentException(claim + " is not agent_id, scopes, fingerprint or metadata.<key>");
            }
            if (claim.startsWith(METADATA) && reserved(claim.substring(METADATA.length()))) {
                throw new IllegalArgumentException(claim + " would replace a claim Mandate sets");
            }
        }
        return List.copyOf(new LinkedHashSet<>(claims));
    }

    /** Whether Mandate sets a claim of this name itself. */
    public static boolean reserved(String name) {
        return RESERVED.contains(name);
    }
}
