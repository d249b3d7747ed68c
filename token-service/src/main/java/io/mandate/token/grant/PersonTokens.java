package io.mandate.token.grant;

import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.AgentProjection;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.RefreshTokenRepository.Lent;
import io.mandate.token.repository.RevokedDelegationRepository;
import io.mandate.token.service.AccessTokens;
import io.mandate.token.service.Target;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Tokens that carry authority a person lent through a grant (their consent in the browser): checked when
 * issued and at every refresh against what holds now, not what held when the person agreed.
 */
@ApplicationScoped
public class PersonTokens {

    private final RevokedDelegationRepository revokedDelegations;
    private final HumanLoginRepository humans;
    private final AccessTokens tokens;
    private final TokenPolicy policy;

    PersonTokens(RevokedDelegationRepository revokedDelegations, HumanLoginRepository humans, AccessTokens tokens,
            TokenPolicy policy) {
        this.revokedDelegations = revokedDelegations;
        this.policy = policy;
        this.humans = humans;
        this.tokens = tokens;
    }

    /**
     * The members of {@code scopes} the grant still lends: the grant is not revoked, the person is active and
     * may lend, and both the person and the agent still hold them.
     */
    public List<String> stillLent(AgentProjection agent, Lent lent, List<String> scopes) {
        if (!agent.isActive()) {
            throw OAuthException.invalidGrant("the client is not active");
        }
        if (revokedDelegations.anyRevoked(List.of(lent.delegationId()))) {
            throw OAuthException.invalidGrant("the person's grant was revoked");
        }
        HumanLoginRepository.Authority person = humans.authority(lent.userId())
                .filter(a -> a.tenantId().equals(agent.tenantId) && a.mayLend())
                .orElseThrow(() -> OAuthException.invalidGrant("the person's account is disabled or may no longer lend"));
        ScopeCatalogue catalogue = policy.catalogue(agent.tenantId);
        List<String> held = TokenPolicy.stillHeld(catalogue, TokenPolicy.stillHeld(catalogue, scopes, agent.permissions),
                person.permissions());
        if (held.isEmpty()) {
            throw OAuthException.invalidScope("neither the person nor the client still holds what was lent");
        }
        return held;
    }

    /** {@code sub} the person, {@code client_id} the client, {@code act} the agent when it acts, never past the grant. */
    public AccessTokens.AccessToken issue(AgentProjection agent, Lent lent, List<String> scopes, Target target,
            String dpopJkt) {
        return issue(agent, lent, scopes, target, dpopJkt, null);
    }

    /** The same, carrying the RFC 9396 {@code authorization_details} the person approved. */
    public AccessTokens.AccessToken issue(AgentProjection agent, Lent lent, List<String> scopes, Target target,
            String dpopJkt, Object authorizationDetails) {
        return tokens.issueDelegated(agent, new AccessTokens.Delegated(lent.userId(), lent.delegationId(),
                lent.acts() ? Map.of("sub", agent.agentId) : null, lent.delegationExpiresAt(), authorizationDetails),
                scopes, target, dpopJkt);
    }
}
