package io.mandate.identity.service;

import io.mandate.api.IdempotencyKeys;
import io.mandate.api.Problem;
import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.auth.Caller;
import io.mandate.credentials.Passwords;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Human;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.identity.repository.HumanRepository;
import io.mandate.identity.repository.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Human accounts: created and changed by a tenant admin. Every change publishes the public event and
 * the login verifier (internal topic) in the same transaction.
 */
@ApplicationScoped
public class Humans {

    private final HumanRepository humans;
    private final TenantRepository tenants;
    private final IdempotencyKeys idempotencyKeys;
    private final IdentityEvents events;
    private final IdentityConfig config;
    private final PermissionCatalogue catalogue;

    Humans(HumanRepository humans, TenantRepository tenants, IdempotencyKeys idempotencyKeys,
            IdentityEvents events, IdentityConfig config, PermissionCatalogue catalogue) {
        this.catalogue = catalogue;
        this.humans = humans;
        this.tenants = tenants;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.config = config;
    }

    /** A new account; {@code password} may be null for accounts that sign in only through the IdP. */
    public record NewHuman(String username, String email, String password, List<String> roles,
            List<String> permissions) {

        /** What an Idempotency-Key is compared against: everything but the password. */
        String fingerprint() {
            return "human:" + username + "|" + email + "|" + roles + "|" + permissions;
        }

        @Override
        public String toString() {
            return "NewHuman[" + username + "]";
        }
    }

    public record Creation(Human human, boolean replayed) {
    }

    /** Changes; null leaves a field as it is. */
    public record Changes(String email, String password, List<String> roles, List<String> permissions) {

        @Override
        public String toString() {
            return "Changes[email=" + email + ", roles=" + roles + ", permissions=" + permissions + "]";
        }
    }

    @Transactional
    public Creation create(String tenantId, NewHuman request, String idempotencyKey, Actor actor) {
        if (!tenants.find(tenantId).isPresent()) {
            throw Tenants.notFound(tenantId);
        }
        String id = TypeIds.newId("usr");
        return idempotencyKeys.once(tenantId, idempotencyKey, request.fingerprint(), id,
                earlier -> new Creation(find(tenantId, earlier), true),
                () -> new Creation(newHuman(tenantId, id, request, actor), false)).value();
    }

    private Human newHuman(String tenantId, String id, NewHuman request, Actor actor) {
        String username = request.username().strip();
        if (humans.usernameTaken(username)) {
            throw conflict("username_taken", "username", "a human with this username exists");
        }
        String email = request.email().strip().toLowerCase();
        if (humans.emailTaken(tenantId, email, id)) {
            throw conflict("email_taken", "email", "a human with this email exists in this tenant");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Human human = new Human();
        human.id = id;
        human.tenantId = tenantId;
        human.username = username;
        human.email = email;
        human.roles = checkedRoles(request.roles());
        human.permissions = checkedPermissions(tenantId, request.permissions());
        human.passwordHash = request.password() == null ? null : Passwords.hash(checkedPassword(request.password()));
        human.status = Human.Status.active;
        human.createdAt = now;
        human.updatedAt = now;
        humans.insert(human);
        events.humanChanged(IdentityEvents.HUMAN_REGISTERED, human, actor);
        events.humanVerifier(human, actor);
        return human;
    }

    public Human find(String tenantId, String id) {
        return humans.find(tenantId, id).orElseThrow(() -> notFound(id));
    }

    public List<Human> page(String tenantId, String afterId, int limit) {
        return humans.page(tenantId, afterId, limit);
    }

    @Transactional
    public Human update(String tenantId, String id, Changes changes, Actor actor) {
        Human human = humans.findForUpdate(tenantId, id).orElseThrow(() -> notFound(id));
        if (human.status == Human.Status.disabled) {
            throw ProblemException.conflict("human_disabled", "human " + id + " is disabled");
        }
        boolean changed = false;
        if (changes.email() != null && !changes.email().strip().equalsIgnoreCase(human.email)) {
            String email = changes.email().strip().toLowerCase();
            if (humans.emailTaken(tenantId, email, id)) {
                throw conflict("email_taken", "email", "a human with this email exists in this tenant");
            }
            human.email = email;
            changed = true;
        }
        if (changes.roles() != null) {
            List<String> roles = checkedRoles(changes.roles());
            changed |= !roles.equals(human.roles);
            human.roles = roles;
        }
        if (changes.permissions() != null) {
            List<String> permissions = checkedPermissions(tenantId, changes.permissions());
            changed |= !permissions.equals(human.permissions);
            human.permissions = permissions;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (changes.password() != null) {
            human.passwordHash = Passwords.hash(checkedPassword(changes.password()));
            human.passwordChangedAt = now;
            changed = true;
        }
        if (changed) {
            human.updatedAt = now;
            humans.save(human);
            events.humanChanged(IdentityEvents.HUMAN_UPDATED, human, actor);
            events.humanVerifier(human, actor);
        }
        return human;
    }

    /** Disables the account for good: it can no longer sign in and its tokens stop working here. */
    @Transactional
    public Human disable(String tenantId, String id, Actor actor) {
        Human human = humans.findForUpdate(tenantId, id).orElseThrow(() -> notFound(id));
        if (human.status == Human.Status.disabled) {
            return human;
        }
        human.status = Human.Status.disabled;
        human.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        humans.save(human);
        events.humanChanged(IdentityEvents.HUMAN_DISABLED, human, actor);
        events.humanVerifier(human, actor);
        return human;
    }

    List<String> checkedPermissions(String tenantId, List<String> requested) {
        List<String> checked = PermissionLists.checked(requested, config.maxPermissions());
        catalogue.requireKnown(tenantId, checked);
        return checked;
    }

    static List<String> checkedRoles(List<String> requested) {
        List<String> unknown = requested.stream().filter(r -> !Caller.HUMAN_ROLES.contains(r)).toList();
        if (!unknown.isEmpty()) {
            throw new ProblemException(400, "role_invalid", "Bad Request",
                    "unknown roles: " + String.join(", ", unknown) + " (known: tenant_admin, auditor, owner)",
                    List.of(new Problem.FieldError("roles", "unknown role")));
        }
        return List.copyOf(new LinkedHashSet<>(requested));
    }

    private static String checkedPassword(String password) {
        if (password.length() < Passwords.MIN_LENGTH || password.length() > Passwords.MAX_LENGTH) {
            throw ProblemException.invalid("password",
                    "must be " + Passwords.MIN_LENGTH + "-" + Passwords.MAX_LENGTH + " characters");
        }
        return password;
    }

    private static ProblemException conflict(String code, String field, String detail) {
        return new ProblemException(409, code, "Conflict", detail, List.of(new Problem.FieldError(field, "already taken")));
    }

    static ProblemException notFound(String id) {
        return ProblemException.notFound("human_not_found", "no human " + id + " in this tenant");
    }
}
