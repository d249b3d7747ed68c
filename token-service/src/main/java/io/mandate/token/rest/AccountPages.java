package io.mandate.token.rest;

import io.mandate.token.browser.Account;
import io.mandate.token.browser.BrowserSessions;
import io.mandate.token.browser.Csrf;
import io.mandate.token.browser.Pages;
import io.mandate.token.client.DelegationClient;
import io.mandate.token.client.ServiceRefused;
import io.mandate.token.repository.HumanLoginRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The person's account page: the approvals inbox and what they have lent. */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountPages {

    private final Account account;
    private final BrowserSessions sessions;
    private final Pages pages;

    AccountPages(Account account, BrowserSessions sessions, Pages pages) {
        this.account = account;
        this.sessions = sessions;
        this.pages = pages;
    }

    @GET
    public Response page(@QueryParam("done") String done, @CookieParam(BrowserSessions.COOKIE) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        Optional<HumanLoginRepository.Human> person = sessions.person(session);
        if (person.isEmpty()) {
            return pages.seeOther("/signin");
        }
        String notice = done == null ? "" : switch (done) {
            case "approved" -> "Approved. The agent can now act for you within what you allowed.";
            case "denied" -> "Denied. The agent was told.";
            case "revoked" -> "Revoked. Its tokens stop working within a second.";
            default -> "";
        };
        return render(200, person.get(), notice, "", csrf);
    }

    @POST
    @Path("/requests/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("id") String requestId, @FormParam("decision") String decision,
            @FormParam("scope") List<String> scopes, @FormParam("lifetime") long seconds,
            @FormParam(Csrf.FIELD) String token, @CookieParam(BrowserSessions.COOKIE) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return act(token, session, csrf, person -> {
            boolean approve = "approve".equals(decision);
            if (approve && (scopes == null || scopes.isEmpty())) {
                return render(400, person, "", "Choose at least one permission to approve, or deny.", csrf);
            }
            account.decide(person, requestId, approve, scopes, seconds);
            return pages.seeOther("/account?done=" + (approve ? "approved" : "denied"));
        });
    }

    @POST
    @Path("/grants/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") String delegationId, @FormParam(Csrf.FIELD) String token,
            @CookieParam(BrowserSessions.COOKIE) String session, @CookieParam(Csrf.COOKIE) String csrf) {
        return act(token, session, csrf, person -> {
            account.revoke(person, delegationId);
            return pages.seeOther("/account?done=revoked");
        });
    }

    @FunctionalInterface
    private interface Action {
        Response run(HumanLoginRepository.Human person);
    }

    /** A form's action for the person signed in; delegation-service's refusal is shown on the page. */
    private Response act(String token, String session, String csrf, Action action) {
        if (!pages.fromOurForm(csrf, token)) {
            return pages.message(403, "Nothing was changed",
                    "This form has expired or did not come from this page. Reload the page and try again.", csrf);
        }
        Optional<HumanLoginRepository.Human> person = sessions.person(session);
        if (person.isEmpty()) {
            return pages.seeOther("/signin");
        }
        try {
            return action.run(person.get());
        } catch (ServiceRefused e) {
            return render(e.status() == 503 ? 503 : 400, person.get(), "", "Not done: " + e.getMessage(), csrf);
        }
    }

    private Response render(int status, HumanLoginRepository.Human person, String notice, String error, String csrf) {
        Map<String, Object> data = new HashMap<>();
        data.put("person", person.username());
        data.put("notice", notice);
        data.put("error", error);
        try {
            data.put("requests", account.pending(person));
            data.put("lent", account.lent(person));
        } catch (ServiceRefused e) {
            data.put("requests", List.of());
            data.put("lent", List.of());
            data.put("error", "Your requests and grants cannot be shown right now: " + e.getMessage());
            status = 503;
        }
        return pages.render(status, new Pages.Page("account.html", data), csrf);
    }
}
