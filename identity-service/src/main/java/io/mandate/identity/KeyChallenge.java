package io.mandate.identity;

import java.time.Instant;

/** A one-time value an agent signs with a registered private key to prove it holds it. */
public class KeyChallenge {

    public String id;

    public String agentId;

    public String nonce;

    public Instant expiresAt;

    public Instant usedAt;
}
