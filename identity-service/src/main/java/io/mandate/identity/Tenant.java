package io.mandate.identity;

import java.time.Instant;

/** A customer's space: every agent, human and credential belongs to exactly one. */
public class Tenant {

    public String id;

    public String name;

    public Instant createdAt;
}
