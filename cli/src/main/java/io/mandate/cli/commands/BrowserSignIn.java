package io.mandate.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.mandate.cli.Api;
import io.mandate.cli.Session;
import io.mandate.client.OAuthErrorException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code mandate login --browser}: Mandate gives a code, the person approves it at the URL shown (signing in there
 * with a password or their organisation), and this polls until the person's token comes (RFC 8628's device flow).
 */
final class BrowserSignIn {

    private final Api api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean open;

    BrowserSignIn(Api api, PrintWriter out, PrintWriter err, boolean open) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.open = open;
    }

    /** The answer of a sign-in, as {@code /v1/auth/login} gives it. */
    JsonNode signIn() {
        JsonNode started = api.postAnonymously(Session.Service.TOKEN, "/v1/auth/device", null);
        String url = started.path("verification_uri_complete").asText();
        out.println("Open " + url);
        out.println("and approve the code " + started.path("user_code").asText() + " (it expires in "
                + started.path("expires_in").asLong() / 60 + " min).");
        out.flush();
        if (open) {
            openBrowser(url);
        }
        long interval = Math.max(1, started.path("interval").asLong(5));
        Map<String, String> poll = Map.of("device_code", started.path("device_code").asText());
        while (true) {
            pause(interval);
            try {
                return api.postAnonymously(Session.Service.TOKEN, "/v1/auth/device/token", poll);
            } catch (OAuthErrorException e) {
                switch (e.error()) {
                    case "authorization_pending" -> {
                    }
                    case "slow_down" -> interval += 5;
                    default -> throw e;
                }
            }
        }
    }

    /** Best effort: the desktop's opener, quietly; the URL is printed anyway. */
    private void openBrowser(String url) {
        for (String opener : new String[] {"xdg-open", "open"}) {
            try {
                new ProcessBuilder(opener, url).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return;
            } catch (java.io.IOException notHere) {
                // try the next, or leave it to the person
            }
        }
        err.println("note: no browser to open here; open the URL above on any device");
    }

    private static void pause(long seconds) {
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sign-in", e);
        }
    }
}
