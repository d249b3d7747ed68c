package io.mandate.token.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.token.client.DelegationClient;
import io.mandate.token.repository.HumanLoginRepository.Human;
import io.mandate.token.service.ProjectionCache;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The person's own page: the requests agents made of them (approve all or part, for as long or shorter, or
 * deny) and what they have lent (revoke). Everything is read and done in delegation-service as the person.
 */
@ApplicationScoped
public class Account {

    /** Shorter lifetimes the inbox offers besides the one asked for. */
    private static final List<Duration> SHORTER = List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofDays(1),
            Duration.ofDays(7), Duration.ofDays(30));
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final DelegationClient delegations;
    private final ProjectionCache agents;
    private final ScopeWords words;

    Account(DelegationClient delegations, ProjectionCache agents, ScopeWords words) {
        this.words = words;
        this.delegations = delegations;
        this.agents = agents;
    }

    /** A lifetime the person may choose: seconds and words. */
    @TemplateData
    public record Lifetime(long seconds, String words) {
    }

    /** A pending request, as the inbox shows it. */
    @TemplateData
    public record Request(String id, String agent, String purpose, List<ScopeWords.Scope> scopes, List<Lifetime> lifetimes,
            String authorizationDetails, String expiresAt) {
    }

    /** A grant the person made, as the list of what they lent shows it. */
    @TemplateData
    public record Lent(String id, String agent, List<ScopeWords.Scope> scopes, String expiresAt, String purpose) {
    }

    public List<Request> pending(Human person) {
        List<Request> requests = new ArrayList<>();
        call(person, "GET", "/v1/delegations/requests?status=pending&limit=100", null).path("items").forEach(r -> {
            long asked = r.path("expires_in").asLong();
            List<Lifetime> lifetimes = new ArrayList<>(List.of(new Lifetime(asked, "as asked: " + words(asked))));
            SHORTER.stream().filter(d -> d.toSeconds() < asked).forEach(d -> lifetimes.add(new Lifetime(d.toSeconds(),
                    words(d.toSeconds()))));
            JsonNode details = r.path("authorization_details");
            requests.add(new Request(r.path("id").asText(), agentName(r.path("agent_id").asText()),
                    r.path("purpose").asText(), scopes(person, r.path("scopes")), lifetimes,
                    details.isMissingNode() || details.isNull() ? "" : details.toPrettyString(),
                    when(r.path("expires_at").asText())));
        });
        return requests;
    }

    public List<Lent> lent(Human person) {
        List<Lent> lent = new ArrayList<>();
        call(person, "GET", "/v1/delegations?status=active&limit=100&user_id=" + person.userId(), null).path("items")
                .forEach(g -> lent.add(new Lent(g.path("id").asText(), agentName(g.path("agent_id").asText()),
                        scopes(person, g.path("scopes")), when(g.path("expires_at").asText()), g.path("purpose").asText(""))));
        return lent;
    }

    /** Approves (part of the scopes, for {@code seconds}), or denies when {@code approve} is false. */
    public void decide(Human person, String requestId, boolean approve, List<String> scopes, long seconds) {
        if (!approve) {
            call(person, "POST", "/v1/delegations/requests/" + requestId + "/deny", null);
            return;
        }
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("scopes", scopes);
        if (seconds > 0) {
            approval.put("expires_in", seconds);
        }
        call(person, "POST", "/v1/delegations/requests/" + requestId + "/approve", approval);
    }

    public void revoke(Human person, String delegationId) {
        call(person, "POST", "/v1/delegations/" + delegationId + "/revoke", null);
    }

    private List<ScopeWords.Scope> scopes(Human person, JsonNode scopes) {
        List<String> values = new ArrayList<>();
        scopes.forEach(s -> values.add(s.asText()));
        return words.of(person.tenantId(), values);
    }

    private JsonNode call(Human person, String method, String path, Object body) {
        return delegations.call(delegations.as(person), method, path, body, null);
    }

    private String agentName(String agentId) {
        return agents.agent(agentId).map(a -> a.name == null ? a.agentId : a.name + " (" + a.agentId + ")").orElse(agentId);
    }

    /** An instant as people read it: {@code 5 Dec 2026, 10:45 UTC}. */
    static String when(String instant) {
        return WHEN.format(Instant.parse(instant));
    }

    /** A lifetime as people say it: {@code 1 hour}, {@code 30 days}, {@code 15 minutes}. */
    public static String words(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() >= 1 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return Math.max(1, d.toMinutes()) + " minutes";
    }
}
