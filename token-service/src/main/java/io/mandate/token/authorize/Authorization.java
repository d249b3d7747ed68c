package io.mandate.token.authorize;

import io.mandate.token.repository.BrowserSessionRepository.Session;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What happens next with an authorization request, given who is signed in: the sign-in page, the consent
 * page, or the answer to the client (a code from remembered consent, or {@code login_required} /
 * {@code consent_required} for {@code prompt=none}).
 */
@ApplicationScoped
public class Authorization {

    private final Consents consents;
    private final AuthorizationCodes codes;

    Authorization(Consents consents, AuthorizationCodes codes) {
        this.consents = consents;
        this.codes = codes;
    }

    /** The next step for a request. */
    public sealed interface Next {
        AuthorizationRequest request();
    }

    /** The browser goes to the client's redirect URI with this answer. */
    public record Answer(AuthorizationRequest request, String location) implements Next {
    }

    public record SignIn(AuthorizationRequest request) implements Next {
    }

    public record Consent(AuthorizationRequest request) implements Next {
    }

    /**
     * @param session the browser's session, if any
     * @param justSignedIn true right after the sign-in page: {@code prompt=login} is then satisfied
     */
    public Next next(AuthorizationRequest request, Optional<Session> session, boolean justSignedIn) {
        boolean none = "none".equals(request.prompt());
        boolean forceLogin = request.prompt() != null && request.prompt().contains("login") && !justSignedIn;
        // A session of another tenant's account cannot consent for this client: its person signs in again.
        Optional<Session> usable = session.filter(s -> s.tenantId().equals(request.tenantId()));
        if (usable.isEmpty() || forceLogin) {
            return none ? refuse(request, "login_required", "nobody of this client's tenant is signed in")
                    : new SignIn(request);
        }
        boolean forceConsent = request.prompt() != null && request.prompt().contains("consent");
        if (!forceConsent) {
            var remembered = consents.remembered(request, usable.get().userId());
            if (remembered.isPresent()) {
                return new Answer(request, codes.issue(request, remembered.get()));
            }
        }
        return none ? refuse(request, "consent_required", "the person has not consented to this client")
                : new Consent(request);
    }

    private Answer refuse(AuthorizationRequest request, String error, String description) {
        return new Answer(request, codes.refuse(request, error, description));
    }
}
