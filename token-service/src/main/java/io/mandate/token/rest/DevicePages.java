package io.mandate.token.rest;

import io.mandate.token.browser.BrowserSessions;
import io.mandate.token.browser.Csrf;
import io.mandate.token.browser.DeviceSignIns;
import io.mandate.token.browser.Pages;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Where a person approves the command line's sign-in: the code it shows, once they are signed in here. */
@Path("/device")
@Produces(MediaType.TEXT_HTML)
public class DevicePages {

    private final DeviceSignIns devices;
    private final BrowserSessions sessions;
    private final Pages pages;

    DevicePages(DeviceSignIns devices, BrowserSessions sessions, Pages pages) {
        this.devices = devices;
        this.sessions = sessions;
        this.pages = pages;
    }

    @GET
    public Response page(@QueryParam("code") String typed, @CookieParam(BrowserSessions.COOKIE) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        String code = DeviceSignIns.normalized(typed);
        Optional<HumanLoginRepository.Human> person = sessions.person(session);
        if (person.isEmpty()) {
            return pages.seeOther("/signin" + (code == null ? "" : "?device=" + code));
        }
        if (typed != null && !devices.waiting(code)) {
            return render(404, person.get(), "", "This code is not valid, or it expired. Start again in your terminal.",
                    csrf);
        }
        return render(200, person.get(), code == null ? "" : code, "", csrf);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@FormParam("code") String typed, @FormParam("decision") String decision,
            @FormParam(Csrf.FIELD) String token, @CookieParam(BrowserSessions.COOKIE) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        if (!pages.fromOurForm(csrf, token)) {
            return pages.message(403, "Nothing was changed",
                    "This form has expired or did not come from this page. Reload the page and try again.", csrf);
        }
        Optional<HumanLoginRepository.Human> person = sessions.person(session);
        if (person.isEmpty()) {
            return pages.seeOther("/signin");
        }
        String code = DeviceSignIns.normalized(typed);
        boolean approve = "approve".equals(decision);
        if (code == null || !devices.decide(code, person.get(), approve)) {
            return render(404, person.get(), "", "This code is not valid, or it expired. Start again in your terminal.",
                    csrf);
        }
        return approve
                ? pages.message(200, "Signed in", "The command line is signed in as you. You can close this window.", csrf)
                : pages.message(200, "Denied", "The command line was not signed in.", csrf);
    }

    private Response render(int status, HumanLoginRepository.Human person, String code, String error, String csrf) {
        Map<String, Object> data = new HashMap<>();
        data.put("person", person.username());
        data.put("code", code);
        data.put("error", error);
        return pages.render(status, new Pages.Page("device.html", data), csrf);
    }
}
