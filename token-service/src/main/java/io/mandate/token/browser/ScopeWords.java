package io.mandate.token.browser;

import java.util.Locale;

/**
 * A permission in words for the consent page: {@code crm:contacts:read} is "read contacts in crm",
 * {@code crm:*:write} "write anything in crm", {@code *:*:*} "do anything".
 */
public final class ScopeWords {

    private ScopeWords() {
    }

    public static String of(String scope) {
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
