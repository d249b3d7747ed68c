package io.mandate.token.browser;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser does with the pages, over HTTP: keeps the cookies the server sets, follows nothing by itself
 * (each test looks at every redirect), and reads a form's CSRF token the way the form would send it.
 */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies = new HashMap<>();
    private String lastCsrf;

    public Response get(String pathAndQuery) {
        return remember(request().get(pathAndQuery));
    }

    /** Posts a form the way the last page served its CSRF token (pass {@code csrf} in {@code form} to override). */
    public Response post(String path, Map<String, ?> form) {
        RequestSpecification request = request().contentType("application/x-www-form-urlencoded");
        if (lastCsrf != null && !form.containsKey("csrf")) {
            request.formParam("csrf", lastCsrf);
        }
        form.forEach((name, value) -> {
            if (value instanceof Iterable<?> values) {
                values.forEach(v -> request.formParam(name, v));
            } else if (value != null) {
                request.formParam(name, value);
            }
        });
        return remember(request.post(path));
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public void forget(String name) {
        cookies.remove(name);
    }

    /** The path and query of a redirect this server sent to one of its own pages. */
    public static String location(Response response) {
        URI uri = URI.create(response.header("Location"));
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private RequestSpecification request() {
        return given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies);
    }

    private Response remember(Response response) {
        response.getDetailedCookies().asList().forEach(c -> {
            if (c.getMaxAge() == 0) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        Matcher csrf = CSRF.matcher(response.asString());
        if (csrf.find()) {
            lastCsrf = csrf.group(1);
        }
        return response;
    }
}
