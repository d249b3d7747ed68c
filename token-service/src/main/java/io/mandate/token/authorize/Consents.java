package io.mandate.token.authorize;

import io.mandate.token.AgentProjection;
import io.mandate.token.authorize.AuthorizationCodes.Lent;
import io.mandate.token.client.DelegationClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.grant.TokenPolicy;
import io.mandate.token.repository.AuthorizationRepository;
import io.mandate.token.repository.AuthorizationRepository.Consent;
import io.mandate.token.repository.HumanLoginRepository;
import io.mandate.token.repository.RevokedDelegationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A person's consent to a client: what the consent page offers (only what the person holds and may lend),
 * the delegation grant their "allow" makes in delegation-service (so it is revoked like every grant), and
 * consent they asked to remember, which answers the client's next request without the page.
 */
@ApplicationScoped
public class Consents {

    /** The lifetimes the consent page offers, shortest first. */
    public static final List<Duration> LIFETIMES = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(30),
            Duration.ofDays(90));

    private final AuthorizationRepository repository;
    private final RevokedDelegationRepository revoked;
    private final HumanLoginRepository humans;
    private final DelegationClient delegations;
    private final AuthorizationCodes codes;
    private final TokenEvents events;
    private final TokenPolicy policy;

    Consents(AuthorizationRepository repository, RevokedDelegationRepository revoked, HumanLoginRepository humans,
            DelegationClient delegations, AuthorizationCodes codes, TokenEvents events, TokenPolicy policy) {
        this.policy = policy;
        this.repository = repository;
        this.revoked = revoked;
        this.humans = humans;
        this.delegations = delegations;
        this.codes = codes;
        this.events = events;
    }

    /** The grant remembered consent of {@code userId} lends for {@code request}, if it covers all of it. */
    public Optional<Lent> remembered(AuthorizationRequest request, String userId) {
        return repository.findConsent(userId, request.clientId())
                .filter(c -> TokenPolicy.stillHeld(policy.catalogue(request.tenantId()), request.scopes(), c.scopes()).size()
                        == request.scopes().size())
                .filter(c -> c.offline() || !request.offline())
                .filter(c -> c.resources().containsAll(request.resources()))
                .filter(c -> !revoked.anyRevoked(List.of(c.delegationId())))
                .map(c -> new Lent(userId, c.delegationId(), request.scopes(), c.delegationExpiresAt()));
    }

    /** What the page offers: the requested permissions the person holds, and those they cannot lend. */
    public record Offer(List<String> lendable, List<String> notHeld) {
    }

    /** Empty when the person may not lend at all (not an active owner or tenant admin of the client's tenant). */
    public Optional<Offer> offer(AuthorizationRequest request, String userId) {
        return humans.authority(userId).filter(a -> a.mayLend() && a.tenantId().equals(request.tenantId())).map(a -> {
            List<String> lendable = TokenPolicy.stillHeld(policy.catalogue(request.tenantId()), request.scopes(),
                    a.permissions());
            return new Offer(lendable, request.scopes().stream().filter(s -> !lendable.contains(s)).toList());
        });
    }

    /**
     * The person allows {@code chosen} (⊆ what the page offered) for {@code lifetime}: delegation-service makes
     * the grant (called as the person, once per request whatever the retries), then the code is issued.
     *
     * @return where the browser goes with the code
     * @throws ServiceRefused when delegation-service refuses or cannot be reached
     */
    public String allow(AuthorizationRequest request, HumanLoginRepository.Human person, AgentProjection client,
            List<String> chosen, Duration lifetime, boolean remember) {
        DelegationClient.Granted granted = delegations.grant(person, client.agentId, chosen, lifetime,
                "consent in the browser to " + (client.name == null ? client.agentId : client.name),
                "consent-" + request.requestId());
        return recorded(request, person, granted, remember);
    }

    @Transactional
    String recorded(AuthorizationRequest request, HumanLoginRepository.Human person, DelegationClient.Granted granted,
            boolean remember) {
        if (remember) {
            repository.rememberConsent(new Consent(person.userId(), request.clientId(), request.tenantId(),
                    granted.scopes(), request.offline(), request.resources(), granted.delegationId(), granted.expiresAt()));
        }
        events.consentGranted(request.tenantId(), person.userId(), request.clientId(), granted.delegationId(),
                granted.scopes(), request.offline(), request.resources(), granted.expiresAt(), remember);
        return codes.issue(request, new Lent(person.userId(), granted.delegationId(), granted.scopes(),
                granted.expiresAt()));
    }

    /** Remembered consent whose grants delegation-service revoked is forgotten, and announced. In the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void grantsRevoked(List<String> delegationIds, String reason) {
        for (Consent consent : repository.forgetConsents(delegationIds)) {
            events.consentRevoked(consent.tenantId(), consent.userId(), consent.clientId(), consent.delegationId(), reason);
        }
    }
}
