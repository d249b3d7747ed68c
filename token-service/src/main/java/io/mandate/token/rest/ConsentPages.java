package io.mandate.token.rest;

import io.mandate.token.AgentProjection;
import io.mandate.token.authorize.AuthorizationCodes;
import io.mandate.token.authorize.AuthorizationRequest;
import io.mandate.token.authorize.AuthorizationRequests;
import io.mandate.token.authorize.Consents;
import io.mandate.token.authorize.MetadataClients;
import io.mandate.token.authorize.RedirectUris;
import io.mandate.token.browser.Account;
import io.mandate.token.browser.BrowserSessions;
import io.mandate.token.browser.Csrf;
import io.mandate.token.browser.Pages;
import io.mandate.token.browser.ScopeWords;
import io.mandate.token.client.DelegationClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.repository.BrowserSessionRepository.Session;
import io.mandate.token.repository.HumanLoginRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The consent page: which agent or app asks, who owns it and how far it is trusted, each permission in words,
 * the resources, how long, and "remember this". Allowing makes a delegation grant for the person.
 */
@Path("/consent")
@Produces(MediaType.TEXT_HTML)
public class ConsentPages {

    private final MetadataClients metadataClients;
    private final AuthorizationRequests requests;
    private final Consents consents;
    private final AuthorizationCodes codes;
    private final BrowserSessions sessions;
    private final HumanLoginRepository humans;
    private final ScopeWords words;
    private final Pages pages;

    ConsentPages(AuthorizationRequests requests, Consents consents, AuthorizationCodes codes, BrowserSessions sessions,
            HumanLoginRepository humans, ScopeWords words, Pages pages, MetadataClients metadataClients) {
        this.metadataClients = metadataClients;
        this.words = words;
        this.requests = requests;
        this.consents = consents;
        this.codes = codes;
        this.sessions = sessions;
        this.humans = humans;
        this.pages = pages;
    }

    @GET
    public Response page(@QueryParam("request") String requestId, @CookieParam(BrowserSessions.COOKIE) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return withRequest(requestId, session, csrf, (request, person, offer) -> render(200, request, person, offer, null, csrf));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response answer(@FormParam("request") String requestId, @FormParam("decision") String decision,
            @FormParam("scope") List<String> scopes, @FormParam("lifetime") int lifetime,
            @FormParam("remember") String remember, @FormParam(Csrf.FIELD) String token,
            @CookieParam(BrowserSessions.COOKIE) String session, @CookieParam(Csrf.COOKIE) String csrf) {
        if (!pages.fromOurForm(csrf, token)) {
            return pages.message(403, "Your answer was not sent",
                    "This form has expired or did not come from this page. Go back to the app and start again.", csrf);
        }
        return withRequest(requestId, session, csrf, (request, person, offer) -> {
            if (!"allow".equals(decision)) {
                return pages.seeOther(codes.refuse(request, "access_denied", "the person denied the request"));
            }
            List<String> chosen = offer.lendable().stream().filter(s -> scopes != null && scopes.contains(s)).toList();
            if (chosen.isEmpty()) {
                return render(400, request, person, offer, "Choose at least one permission, or deny.", csrf);
            }
            Duration duration = Consents.LIFETIMES.get(Math.max(0, Math.min(lifetime, Consents.LIFETIMES.size() - 1)));
            HumanLoginRepository.Human human = humans.byId(person.userId()).orElseThrow();
            AgentProjection client = requests.client(request.clientId()).orElseThrow();
            try {
                return pages.seeOther(consents.allow(request, human, client, chosen, duration, "yes".equals(remember)));
            } catch (ServiceRefused e) {
                return render(e.status() == 503 ? 503 : 400, request, person, offer,
                        "Your consent could not be recorded: " + e.getMessage(), csrf);
            }
        });
    }

    @FunctionalInterface
    private interface OnRequest {
        Response answer(AuthorizationRequest request, Session person, Consents.Offer offer);
    }

    /** The request and who answers it; the sign-in page if nobody of its tenant is signed in. */
    private Response withRequest(String requestId, String session, String csrf, OnRequest then) {
        Optional<AuthorizationRequest> waiting = requests.waiting(requestId);
        if (waiting.isEmpty()) {
            return pages.message(400, "This request has ended",
                    "It was answered already, or waited too long. Go back to the app and start again.", csrf);
        }
        AuthorizationRequest request = waiting.get();
        Optional<Session> person = sessions.find(session).filter(s -> s.tenantId().equals(request.tenantId()));
        if (person.isEmpty()) {
            return pages.seeOther("/signin?request=" + request.requestId());
        }
        if (requests.client(request.clientId()).isEmpty()) {
            return pages.seeOther(codes.refuse(request, "unauthorized_client", "the client is no longer active"));
        }
        Optional<Consents.Offer> offer = consents.offer(request, person.get().userId());
        if (offer.isEmpty()) {
            return pages.seeOther(codes.refuse(request, "access_denied",
                    "this account may not lend authority (it is not an owner or tenant admin)"));
        }
        if (offer.get().lendable().isEmpty()) {
            return pages.seeOther(codes.refuse(request, "invalid_scope", "the person holds none of the requested permissions"));
        }
        return then.answer(request, person.get(), offer.get());
    }

    private Response render(int status, AuthorizationRequest request, Session person, Consents.Offer offer, String error,
            String csrf) {
        AgentProjection client = requests.client(request.clientId()).orElseThrow();
        HumanLoginRepository.Human human = humans.byId(person.userId()).orElseThrow();
        Map<String, Object> data = new HashMap<>();
        data.put("request", request.requestId());
        data.put("clientName", client.name == null ? client.agentId : client.name);
        data.put("clientId", client.agentId);
        data.put("isAgent", "agent".equals(client.clientType));
        data.put("owner", client.ownerEmail == null ? "unknown" : client.ownerEmail);
        data.put("trustLevel", client.trustLevel);
        data.put("logo", client.logoUri == null ? "" : client.logoUri);
        data.put("documentUrl", client.clientIdUrl == null ? "" : client.clientIdUrl);
        data.put("documentHost", client.clientIdUrl == null ? "" : URI.create(client.clientIdUrl).getHost());
        data.put("unvetted", !metadataClients.vouchedFor(client));
        data.put("returnsTo", host(request.redirectUri()));
        data.put("lendable", words.of(request.tenantId(), offer.lendable()));
        data.put("notHeld", words.of(request.tenantId(), offer.notHeld()));
        data.put("offline", request.offline());
        data.put("resources", request.resources());
        data.put("lifetimes", Consents.LIFETIMES.stream().map(d -> Account.words(d.toSeconds())).toList());
        data.put("person", human.username());
        data.put("error", error == null ? "" : error);
        return pages.render(status, new Pages.Page("consent.html", data,
                Set.of(RedirectUris.formTarget(request.redirectUri()))), csrf);
    }

    private static String host(String redirectUri) {
        URI uri = URI.create(redirectUri);
        return uri.getHost() != null ? uri.getHost() : uri.getScheme() + ":";
    }
}
