package io.mandate.identity.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.api.ProblemException;
import io.mandate.auth.Caller;
import io.mandate.identity.Agent;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who sees and who changes an agent; what a caller may not see is a 404, as if it did not exist. */
class AgentAccessTest {

    private static final Agent AGENT = agent("agt_1", "alice@example.com");

    private static Agent agent(String id, String ownerEmail) {
        Agent agent = new Agent();
        agent.id = id;
        agent.ownerEmail = ownerEmail;
        return agent;
    }

    private static Caller human(String email, String... roles) {
        return new Caller(Caller.Kind.HUMAN, "usr_" + email.hashCode(), "ten_1", Set.of(roles), email);
    }

    private static int status(Runnable check) {
        return assertThrows(ProblemException.class, check::run).problem().status();
    }

    @Test
    void aTenantAdminSeesAndChangesEveryAgent() {
        Caller admin = human("root@example.com", Caller.TENANT_ADMIN);
        assertTrue(AgentAccess.canSee(admin, AGENT));
        assertDoesNotThrow(() -> AgentAccess.requireManage(admin, AGENT));
        assertDoesNotThrow(() -> AgentAccess.requireManage(Caller.platformAdmin(), AGENT));
    }

    @Test
    void anOwnerChangesItsOwnAgentsOnlyAndDoesNotSeeOthers() {
        Caller alice = human("Alice@Example.com", Caller.OWNER);
        assertDoesNotThrow(() -> AgentAccess.requireManage(alice, AGENT), "the email matches whatever its case");
        Caller bob = human("bob@example.com", Caller.OWNER);
        assertFalse(AgentAccess.canSee(bob, AGENT));
        assertEquals(404, status(() -> AgentAccess.requireManage(bob, AGENT)));
        assertEquals(404, status(() -> AgentAccess.requireSee(human("alice@example.com"), AGENT)),
                "the email alone, without the owner role, is nobody");
    }

    @Test
    void anAuditorSeesButDoesNotChange() {
        Caller auditor = human("audit@example.com", Caller.AUDITOR);
        assertTrue(AgentAccess.canSee(auditor, AGENT));
        assertEquals(403, status(() -> AgentAccess.requireManage(auditor, AGENT)));
        assertEquals(403, status(() -> AgentAccess.requireTenantAdmin(auditor)));
    }

    @Test
    void anAgentSeesItselfOnlyAndAnswersItsOwnChallenges() {
        Caller self = new Caller(Caller.Kind.AGENT, "agt_1", "ten_1", Set.of(Caller.AGENT), null);
        Caller other = new Caller(Caller.Kind.AGENT, "agt_2", "ten_1", Set.of(Caller.AGENT), null);
        assertTrue(AgentAccess.canSee(self, AGENT));
        assertDoesNotThrow(() -> AgentAccess.requireSelfOrManage(self, AGENT));
        assertEquals(403, status(() -> AgentAccess.requireManage(self, AGENT)));
        assertFalse(AgentAccess.canSee(other, AGENT));
        assertEquals(404, status(() -> AgentAccess.requireSelfOrManage(other, AGENT)));
    }
}
