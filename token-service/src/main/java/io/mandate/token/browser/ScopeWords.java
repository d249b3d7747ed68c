package io.mandate.token.browser;

import io.mandate.token.repository.ScopeCatalogueRepository;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Permissions in words for the pages: the tenant's permission catalogue's description where it has one,
 * else words made from the permission itself ({@code crm:contacts:read} is "Read contacts in crm",
 * {@code crm:*:write} "Write anything in crm", {@code *:*:*} "Do anything").
 */
@ApplicationScoped
public class ScopeWords {

    private final ScopeCatalogueRepository catalogue;

    ScopeWords(ScopeCatalogueRepository catalogue) {
        this.catalogue = catalogue;
    }

    /** A permission and its words, as the pages show it. */
    @TemplateData
    public record Scope(String value, String words) {
    }

    public List<Scope> of(String tenantId, List<String> scopes) {
        Map<String, String> described = catalogue.descriptions(tenantId, scopes);
        return scopes.stream().map(s -> new Scope(s, described.getOrDefault(s, made(s)))).toList();
    }

    static String made(String scope) {
        String[] parts = scope.split(":");
        if (parts.length != 3) {
            return scope;
        }
        String service = parts[0];
        String resource = parts[1].replace('_', ' ').replace('-', ' ');
        String action = parts[2].replace('_', ' ').replace('-', ' ');
        if (service.equals("*") && resource.equals("*") && action.equals("*")) {
            return "Do anything";
        }
        String verb = action.equals("*") ? "do anything with" : action;
        String what = resource.equals("*") ? "anything" : resource;
        String where = service.equals("*") ? "in every service" : "in " + service;
        String words = verb + " " + what + " " + where;
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
