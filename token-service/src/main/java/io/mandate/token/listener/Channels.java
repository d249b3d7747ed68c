package io.mandate.token.listener;

/** The messaging channels token-service consumes (topics are bound in application.properties). */
public final class Channels {

    public static final String IDENTITY_EVENTS = "identity-events";
    public static final String CREDENTIAL_VERIFIERS = "credential-verifiers";
    public static final String DELEGATION_EVENTS = "delegation-events";

    private Channels() {
    }
}
