package io.mandate.identity.service;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.identity.Agent;
import io.mandate.identity.repository.HumanRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Who may see and change which agent. Tenant admins: every agent of their tenant. Owners: the agents
 * whose {@code owner_email} is theirs, with permissions they hold themselves. Auditors: read only.
 * An agent: itself, read only. What a caller may not see is answered 404, as if it did not exist.
 */
@ApplicationScoped
public class AgentAccess {

    private final HumanRepository humans;
    private final PermissionCatalogue catalogue;

    AgentAccess(HumanRepository humans, PermissionCatalogue catalogue) {
        this.humans = humans;
        this.catalogue = catalogue;
    }

    public static boolean canSee(Caller caller, Agent agent) {
        return caller.isTenantAdmin() || caller.has(Caller.AUDITOR) || owns(caller, agent)
                || (caller.isAgent() && caller.id().equals(agent.id));
    }

    /** Throws 404 if the caller may not see the agent, 403 if it may see but not change it. */
    public static void requireManage(Caller caller, Agent agent) {
        requireSee(caller, agent);
        if (!caller.isTenantAdmin() && !owns(caller, agent)) {
            throw ProblemException.forbidden("forbidden", "the caller may not change agent " + agent.id);
        }
    }

    /** The agent itself, or whoever may change it. */
    public static void requireSelfOrManage(Caller caller, Agent agent) {
        if (!(caller.isAgent() && caller.id().equals(agent.id))) {
            requireManage(caller, agent);
        }
    }

    public static void requireSee(Caller caller, Agent agent) {
        if (!canSee(caller, agent)) {
            throw Agents.notFound(agent.id);
        }
    }

    public static void requireTenantAdmin(Caller caller) {
        if (!caller.isTenantAdmin()) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin may do this");
        }
    }

    /** Registering: tenant admins for anyone; owners only for themselves. */
    public void requireRegister(Caller caller, String ownerEmail, List<String> permissions) {
        if (caller.isTenantAdmin()) {
            return;
        }
        if (!caller.has(Caller.OWNER)) {
            throw ProblemException.forbidden("forbidden", "only a tenant admin or an owner may register agents");
        }
        if (!ownerEmail.strip().equalsIgnoreCase(caller.email())) {
            throw ProblemException.forbidden("owner_mismatch", "an owner registers agents only for itself");
        }
        requireHeld(caller, permissions);
    }

    /** An owner lends its agents only permissions it holds itself (or implies); tenant admins hold everything. */
    public void requireHeld(Caller caller, List<String> permissions) {
        if (caller.isTenantAdmin()) {
            return;
        }
        List<String> held = humans.find(caller.tenantId(), caller.id()).map(h -> h.permissions).orElse(List.of());
        PermissionLists.requireCovered(catalogue.scopes(caller.tenantId()), held,
                PermissionLists.checked(permissions, Integer.MAX_VALUE));
    }

    private static boolean owns(Caller caller, Agent agent) {
        return caller.has(Caller.OWNER) && caller.email() != null && caller.email().equalsIgnoreCase(agent.ownerEmail);
    }
}
