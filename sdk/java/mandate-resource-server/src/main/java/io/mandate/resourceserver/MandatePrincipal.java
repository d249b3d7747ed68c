package io.mandate.resourceserver;

import java.security.Principal;

/** The caller as a {@link Principal} (its name is the token's subject), with the whole checked token. */
public record MandatePrincipal(MandateToken token) implements Principal {

    @Override
    public String getName() {
        return token.subject();
    }
}
