package io.mandate.resourceserver.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.resourceserver.StandInMandateAccess;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Servlet filter in a real servlet container (Jetty 12), with a stand-in Mandate's key. */
class MandateServletFilterTest {

    private static StandInMandateAccess mandate;
    private static Server jetty;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        mandate = new StandInMandateAccess();
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().print(request.getUserPrincipal().getName() + " " + request.getAuthType() + " "
                        + request.isUserInRole("crm:contacts:read"));
            }
        }), "/api/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        context.addFilter(new FilterHolder(new MandateServletFilter(mandate.resourceServer(base + "/api"),
                "reports:read")), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        mandate.close();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenWithTheScopeReachesTheServletAsItsPrincipal() throws Exception {
        HttpResponse<String> response = get("/api/reports", "Bearer " + mandate.token(base + "/api",
                "reports:read crm:*:read"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("agt_1 Bearer true", response.body());
    }

    @Test
    void noTokenIsChallengedAndTheChallengeNamesTheMetadata() throws Exception {
        HttpResponse<String> response = get("/api/reports", null);
        assertEquals(401, response.statusCode());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer resource_metadata=\"" + base
                + "/.well-known/oauth-protected-resource/api\""), challenge);
        HttpResponse<String> metadata = get("/.well-known/oauth-protected-resource/api", null);
        assertEquals(200, metadata.statusCode());
        assertTrue(metadata.body().contains("\"resource\":\"" + base + "/api\""), metadata.body());
    }

    @Test
    void aTokenWithoutTheScopeIs403AndAnotherAudience401() throws Exception {
        HttpResponse<String> lacking = get("/api/reports", "Bearer " + mandate.token(base + "/api", "crm:contacts:read"));
        assertEquals(403, lacking.statusCode());
        assertTrue(lacking.headers().firstValue("WWW-Authenticate").orElseThrow().contains("scope=\"reports:read\""));
        HttpResponse<String> elsewhere = get("/api/reports", "Bearer " + mandate.token("https://other.example",
                "reports:read"));
        assertEquals(401, elsewhere.statusCode());
        assertTrue(elsewhere.body().contains("not " + base + "/api"), elsewhere.body());
    }
}
