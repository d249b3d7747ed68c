package io.mandate.identity;

import java.time.Instant;
import java.util.List;

/**
 * A person in a tenant: signs in with a local password or through the enterprise IdP; its roles say
 * what it may administer, its permissions bound what it may delegate.
 */
public class Human {

    public enum Status {
        active, disabled
    }

    public String id;

    public String tenantId;

    public String username;

    public String email;

    public List<String> roles;

    public List<String> permissions;

    public Status status;

    /** PBKDF2 hash ({@code io.mandate.credentials.Passwords}); null for accounts that sign in only through the IdP. */
    public String passwordHash;

    /** The enterprise IdP's {@code sub} once the account has signed in through it. */
    public String externalSubject;

    public long version;

    /** When the password last changed (null: never since the account was made); older tokens end then. */
    public Instant passwordChangedAt;

    public Instant createdAt;

    public Instant updatedAt;
}
