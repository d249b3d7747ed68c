package io.mandate.token.authorize;

import io.mandate.api.TypeIds;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.oauth.FormEncoding;
import io.mandate.token.repository.AuthorizationRepository;
import io.mandate.token.repository.AuthorizationRepository.Code;
import io.mandate.token.service.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers an authorization request: a short-lived, single-use code bound to the client, redirect URI, PKCE
 * challenge, resources and the grant the person made; or an error. Both go back to the redirect URI with the
 * request's {@code state} and this server's {@code iss} (RFC 9207), and end the request.
 */
@ApplicationScoped
public class AuthorizationCodes {

    public static final String PREFIX = "mnd_ac_";

    private final AuthorizationRepository repository;
    private final TokenConfig config;

    AuthorizationCodes(AuthorizationRepository repository, TokenConfig config) {
        this.repository = repository;
        this.config = config;
    }

    /** The grant a code carries: whose, which, what for and until when. */
    public record Lent(String userId, String delegationId, List<String> scopes, Instant expiresAt) {
    }

    /** Issues the code for {@code request} and returns where the browser goes with it. */
    @Transactional
    public String issue(AuthorizationRequest request, Lent lent) {
        if (!repository.deleteRequest(request.requestId())) {
            throw AuthorizationError.onPage("invalid_request", "this request was already answered");
        }
        String code = PREFIX + TypeIds.randomToken(32);
        repository.insertCode(new Code(hash(code), request.tenantId(), request.clientId(), lent.userId(),
                request.redirectUri(), request.codeChallenge(), lent.scopes(), request.offline(), request.resources(),
                lent.delegationId(), lent.expiresAt(),
                Instant.now().plus(config.browser().codeLifetime()).truncatedTo(ChronoUnit.MICROS), null, null, null, null));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        return redirect(request.redirectUri(), request.state(), answer);
    }

    /** Ends {@code request} with an error for its client; returns where the browser goes. */
    @Transactional
    public String refuse(AuthorizationRequest request, String error, String description) {
        repository.deleteRequest(request.requestId());
        return error(request.redirectUri(), request.state(), error, description);
    }

    /** Where the browser goes with an error for a client whose redirect URI is known. */
    public String error(String redirectUri, String state, String error, String description) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        return redirect(redirectUri, state, answer);
    }

    private String redirect(String redirectUri, String state, Map<String, String> answer) {
        if (state != null) {
            answer.put("state", state);
        }
        answer.put("iss", config.issuer());
        return FormEncoding.withQuery(redirectUri, answer);
    }

    public static String hash(String code) {
        return Sha256.base64Url(code);
    }
}
