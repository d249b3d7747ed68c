package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer's space: every agent, human and credential belongs to exactly one. */
@Entity
@Table(name = "tenant")
public class Tenant {

    @Id
    public String id;

    public String name;

    @Column(name = "created_at")
    public Instant createdAt;
}
