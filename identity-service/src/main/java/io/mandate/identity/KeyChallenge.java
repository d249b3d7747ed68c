package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A one-time value an agent signs with a registered private key to prove it holds it. */
@Entity
@Table(name = "key_challenge")
public class KeyChallenge {

    @Id
    public String id;

    @Column(name = "agent_id")
    public String agentId;

    public String nonce;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;
}
