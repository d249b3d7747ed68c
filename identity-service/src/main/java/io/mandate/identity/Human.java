package io.mandate.identity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;

/**
 * A person in a tenant: signs in with a local password or through the enterprise IdP; its roles say
 * what it may administer, its permissions bound what it may delegate.
 */
@Entity
@Table(name = "human")
public class Human {

    public enum Status {
        active, disabled
    }

    @Id
    public String id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String username;

    public String email;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    public List<String> roles;

    @org.hibernate.annotations.JdbcTypeCode(org.hibernate.type.SqlTypes.ARRAY)
    public List<String> permissions;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** PBKDF2 hash ({@code io.mandate.credentials.Passwords}); null for accounts that sign in only through the IdP. */
    @Column(name = "password_hash")
    public String passwordHash;

    /** The enterprise IdP's {@code sub} once the account has signed in through it. */
    @Column(name = "external_subject")
    public String externalSubject;

    @Version
    public long version;

    /** When the password last changed (null: never since the account was made); older tokens end then. */
    @Column(name = "password_changed_at")
    public Instant passwordChangedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
