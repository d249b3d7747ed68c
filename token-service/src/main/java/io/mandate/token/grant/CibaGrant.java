package io.mandate.token.grant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mandate.eventing.outbox.EventNotAcknowledgedException;
import io.mandate.token.authorize.Backchannel;
import io.mandate.token.event.TokenEvents;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.repository.BackchannelRepository;
import io.mandate.token.repository.BackchannelRepository.Row;
import io.mandate.token.repository.RefreshTokenRepository.Lent;
import io.mandate.token.service.ClientAuthenticator.AuthenticatedClient;
import io.mandate.token.service.RateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The CIBA grant (poll mode): the agent that started a backchannel request polls with its {@code auth_req_id}
 * and gets {@code authorization_pending}, {@code slow_down} (polling faster than its interval, which then
 * grows by 5 s), {@code access_denied}, {@code expired_token}, or once the token acting for the person, with
 * exactly the {@code authorization_details} they approved.
 */
@ApplicationScoped
public class CibaGrant implements Grant {

    public static final String GRANT_TYPE = "urn:openid:params:grant-type:ciba";
    private static final int SLOW_DOWN_SECONDS = 5;

    private final BackchannelRepository requests;
    private final PersonTokens personTokens;
    private final RateLimiter limiter;
    private final TokenEvents events;
    private final ObjectMapper json;
    private final Targets targets;

    CibaGrant(BackchannelRepository requests, PersonTokens personTokens, RateLimiter limiter, TokenEvents events,
            ObjectMapper json, Targets targets) {
        this.targets = targets;
        this.requests = requests;
        this.personTokens = personTokens;
        this.limiter = limiter;
        this.events = events;
        this.json = json;
    }

    @Override
    public String type() {
        return GRANT_TYPE;
    }

    /** The pacing a refused poll records still commits. */
    @Override
    @Transactional(dontRollbackOn = OAuthException.class)
    public Issued issue(TokenRequest request, Optional<AuthenticatedClient> authenticated, String dpopJkt) {
        AuthenticatedClient client = Grant.confidential(authenticated, GRANT_TYPE);
        String authReqId = request.parameter("auth_req_id");
        if (authReqId == null) {
            throw OAuthException.invalidRequest("auth_req_id is required");
        }
        Row row = requests.lock(Backchannel.hash(authReqId)).filter(r -> r.clientId().equals(client.agent().agentId))
                .orElseThrow(() -> OAuthException.invalidGrant("the auth_req_id is not valid for this client"));
        Instant now = Instant.now();
        if (!now.isBefore(row.expiresAt()) || row.status() == BackchannelRepository.Status.expired) {
            throw new OAuthException(400, "expired_token", "the request expired before the person answered");
        }
        switch (row.status()) {
            case issued -> throw OAuthException.invalidGrant("the token for this request was already issued");
            case denied -> throw new OAuthException(400, "access_denied", "the person denied the request");
            case pending -> throw paced(row, now);
            default -> {
                return issue(client, row, request, dpopJkt);
            }
        }
    }

    /** {@code slow_down} before the interval has passed (and a longer interval), else {@code authorization_pending}. */
    private OAuthException paced(Row row, Instant now) {
        boolean tooSoon = now.isBefore(row.nextPollAt());
        int interval = tooSoon ? row.intervalSeconds() + SLOW_DOWN_SECONDS : row.intervalSeconds();
        requests.polled(row.authReqHash(), interval, now.plusSeconds(interval).truncatedTo(ChronoUnit.MICROS));
        return tooSoon ? new OAuthException(400, "slow_down", "poll at most every " + interval + " s")
                : new OAuthException(400, "authorization_pending", "the person has not answered yet");
    }

    private Issued issue(AuthenticatedClient client, Row row, TokenRequest request, String dpopJkt) {
        Lent lent = new Lent(row.userId(), row.delegationId(), row.grantExpiresAt(), true);
        List<String> scopes = personTokens.stillLent(client.agent(), lent, row.grantedScopes());
        Object details = details(row.authorizationDetails());
        RateLimiter.Allowance allowance = limiter.acquire(client.agent());
        var access = personTokens.issue(client.agent(), lent, scopes, targets.defaultTarget(), dpopJkt, details);
        requests.issued(row.authReqHash());
        try {
            events.exchanged(row.tenantId(), row.clientId(), row.userId(), row.delegationId(), List.of(row.delegationId()),
                    List.of(row.clientId()), access.jti(), scopes, request);
        } catch (EventNotAcknowledgedException e) {
            throw new OAuthException(503, "temporarily_unavailable", "the token could not be recorded; retry");
        }
        return new Issued(access, null, allowance, details);
    }

    private Object details(String text) {
        try {
            return text == null ? null : json.readValue(text, List.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored authorization_details are not JSON", e);
        }
    }
}
