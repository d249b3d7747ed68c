package io.mandate.identity.service;

import io.mandate.api.ProblemException;
import io.mandate.api.TypeIds;
import io.mandate.eventing.envelope.Actor;
import io.mandate.identity.Human;
import io.mandate.identity.Invitation;
import io.mandate.identity.config.IdentityConfig;
import io.mandate.identity.event.IdentityEvents;
import io.mandate.sql.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * How people join a tenant by themselves: an invitation link a tenant admin made (one use, until it
 * expires or is revoked; the roles and permissions it names; the email it names, if any), or open sign-up
 * where the tenant allows it. The account is made as a tenant admin would make it; only the link's
 * SHA-256 is kept.
 */
@ApplicationScoped
public class Invitations {

    private static final Duration MAX_LIFETIME = Duration.ofDays(30);

    /** A new invitation and its secret link (shown once). */
    public record Made(Invitation invitation, String url) {
    }

    /** Who signs up: by an invitation's secret, or to a tenant that is open. */
    public record SignUp(String invitation, String tenantId, String username, String email, String password) {

        @Override
        public String toString() {
            return "SignUp[" + username + "]";
        }
    }

    private static final String SELECT = """
            select id, tenant_id, email, roles, permissions, created_at, expires_at, accepted_at, accepted_user_id,
                   revoked_at from invitation""";

    private final Sql sql;
    private final Humans humans;
    private final IdentityEvents events;
    private final IdentityConfig config;

    Invitations(Sql sql, Humans humans, IdentityEvents events, IdentityConfig config) {
        this.sql = sql;
        this.humans = humans;
        this.events = events;
        this.config = config;
    }

    @Transactional
    public Made invite(String tenantId, String email, List<String> roles, List<String> permissions, Long expiresIn,
            Actor actor) {
        Duration lifetime = expiresIn == null ? config.invitationLifetime() : Duration.ofSeconds(expiresIn);
        if (lifetime.toSeconds() < 60 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw ProblemException.invalid("expires_in", "between 60 seconds and 30 days");
        }
        List<String> checkedRoles = Humans.checkedRoles(roles == null ? List.of() : roles);
        List<String> checkedPermissions = humans.checkedPermissions(tenantId, permissions == null ? List.of() : permissions);
        String token = "mnd_inv_" + TypeIds.randomToken(32);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Invitation invitation = new Invitation(TypeIds.newId("inv"), tenantId,
                email == null || email.isBlank() ? null : email.strip().toLowerCase(), checkedRoles, checkedPermissions,
                now, now.plus(lifetime), null, null, null);
        sql.update("""
                insert into invitation (id, tenant_id, token_hash, email, roles, permissions, created_by, created_at,
                    expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""",
                invitation.id(), tenantId, hash(token), invitation.email(), checkedRoles, checkedPermissions, actor.id(),
                now, invitation.expiresAt());
        events.invitationChanged(IdentityEvents.INVITATION_CREATED, invitation, actor);
        return new Made(invitation, config.signupUrl() + "?invitation=" + token);
    }

    public List<Invitation> list(String tenantId) {
        return sql.list(SELECT + " where tenant_id = ?1 order by created_at desc limit 200", Invitations::invitation,
                tenantId);
    }

    /** Revokes an invitation not used yet; 404 for one of another tenant, 409 for one used. */
    @Transactional
    public Invitation revoke(String tenantId, String id, Actor actor) {
        Invitation invitation = sql.first(SELECT + " where tenant_id = ?1 and id = ?2 for update",
                Invitations::invitation, tenantId, id).orElseThrow(() -> ProblemException.notFound("invitation_not_found",
                        "no invitation " + id + " in this tenant"));
        if (invitation.acceptedAt() != null) {
            throw ProblemException.conflict("invitation_used", "the invitation was already used");
        }
        if (invitation.revokedAt() == null) {
            sql.update("update invitation set revoked_at = now() where id = ?1", id);
            events.invitationChanged(IdentityEvents.INVITATION_REVOKED, invitation, actor);
        }
        return invitation;
    }

    /**
     * A person signs up: with an invitation's secret (used up by this), or to an open tenant. The account
     * gets the invitation's (or the tenant's sign-up) roles and permissions; nothing is stored if it is refused.
     */
    @Transactional
    public Human signUp(SignUp request, Actor actor) {
        if (request.invitation() != null) {
            Invitation invitation = sql.first(SELECT + " where token_hash = ?1 for update", Invitations::invitation,
                    hash(request.invitation())).orElseThrow(() -> ProblemException.notFound("invitation_not_found",
                            "this invitation link is not valid"));
            if (invitation.acceptedAt() != null || invitation.revokedAt() != null
                    || !Instant.now().isBefore(invitation.expiresAt())) {
                throw ProblemException.conflict("invitation_used", "this invitation link was used, revoked or has expired");
            }
            if (invitation.email() != null && !invitation.email().equalsIgnoreCase(request.email().strip())) {
                throw ProblemException.invalid("email", "this invitation is for another email address");
            }
            Human human = humans.create(invitation.tenantId(), new Humans.NewHuman(request.username(), request.email(),
                    request.password(), invitation.roles(), invitation.permissions()), null, actor).human();
            sql.update("update invitation set accepted_at = now(), accepted_user_id = ?2 where id = ?1", invitation.id(),
                    human.id);
            events.invitationChanged(IdentityEvents.INVITATION_ACCEPTED, invitation, actor);
            return human;
        }
        String tenantId = request.tenantId();
        IdentityConfig.Tenant policy = tenantId == null ? null : config.tenants().get(tenantId);
        if (policy == null || !policy.openSignup()) {
            throw ProblemException.forbidden("signup_closed", "this organisation takes new people by invitation only");
        }
        return humans.create(tenantId, new Humans.NewHuman(request.username(), request.email(), request.password(),
                policy.signupRoles().orElse(List.of()), policy.signupPermissions().orElse(List.of())), null, actor)
                .human();
    }

    private static Invitation invitation(io.mandate.sql.Row row) throws java.sql.SQLException {
        return new Invitation(row.string("id"), row.string("tenant_id"), row.string("email"), row.strings("roles"),
                row.strings("permissions"), row.instant("created_at"), row.instant("expires_at"),
                row.instant("accepted_at"), row.string("accepted_user_id"), row.instant("revoked_at"));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
