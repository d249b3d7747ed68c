package io.mandate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * One run's settings, from the flags, then the environment, then the profile: where each service is, the tenant,
 * the bearer token, the output format.
 */
public final class Session {

    /** The five services; on a loopback address they sit on consecutive ports from token-service's. */
    public enum Service {
        TOKEN(0), IDENTITY(1), DELEGATION(2), AUDIT(3), WEBHOOK(4);

        final int offset;

        Service(int offset) {
            this.offset = offset;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT) + "_url";
        }

        String env() {
            return "MANDATE_" + name() + "_URL";
        }
    }

    private final Profiles profiles;
    private final String profileName;
    private final ObjectNode profile;
    private final String url;
    private final String tenant;
    private final String token;
    private final Output output;
    private final Map<String, String> env;

    private Session(Profiles profiles, String profileName, String url, String tenant, String token, Output output,
            Map<String, String> env) {
        this.profiles = profiles;
        this.profileName = profileName;
        this.profile = profiles.profile(profileName);
        this.url = url;
        this.tenant = tenant;
        this.token = token;
        this.output = output;
        this.env = env;
    }

    static Session resolve(String profileFlag, String urlFlag, String tenantFlag, Output.Format format,
            Map<String, String> env) {
        Profiles profiles = Profiles.load(env);
        String name = profiles.current(profileFlag != null ? profileFlag : env.get("MANDATE_PROFILE"));
        ObjectNode profile = profiles.profile(name);
        String url = first(urlFlag, env.get("MANDATE_URL"), text(profile, "url"));
        String tenant = first(tenantFlag, env.get("MANDATE_TENANT"), text(profile, "tenant"));
        String token = first(env.get("MANDATE_TOKEN"), text(profile, "token"));
        return new Session(profiles, name, url == null ? null : url.replaceAll("/+$", ""), tenant, token,
                new Output(format), env);
    }

    /** Where {@code service} answers: its own setting, else the URL (a gateway), else the local layout. */
    public URI endpoint(Service service) {
        String own = first(env.get(service.env()), text(profile, service.key()));
        if (own != null) {
            return URI.create(own.replaceAll("/+$", ""));
        }
        URI base = URI.create(requireUrl());
        if (service != Service.TOKEN && base.getPort() > 0 && loopback(base.getHost())) {
            return URI.create(base.getScheme() + "://" + base.getHost() + ":" + (base.getPort() + service.offset));
        }
        return base;
    }

    public String requireUrl() {
        if (url == null) {
            throw new UsageException("no Mandate URL: pass --url, set MANDATE_URL, or `mandate login --url …`");
        }
        return url;
    }

    public String url() {
        return url;
    }

    /** The bearer token of the signed-in person (or the one in MANDATE_TOKEN). */
    public String requireToken() {
        if (token == null || token.isBlank()) {
            throw new NotSignedInException();
        }
        return token;
    }

    public String tenant() {
        return tenant;
    }

    public Output output() {
        return output;
    }

    public Profiles profiles() {
        return profiles;
    }

    public String profileName() {
        return profileName;
    }

    /** The profile being used, to change and {@link Profiles#save()}. */
    public ObjectNode profile() {
        return profile;
    }

    public Api api() {
        return new Api(this);
    }

    private static boolean loopback(String host) {
        return "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host)
                || "::1".equals(host);
    }

    private static String text(ObjectNode profile, String name) {
        return profile.hasNonNull(name) ? profile.get(name).asText() : null;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** Nobody signed in: exit 3 with a hint. */
    public static final class NotSignedInException extends io.mandate.client.MandateException {
        NotSignedInException() {
            super(401, "not_signed_in", "run `mandate login`, or set MANDATE_TOKEN", null, null);
        }
    }
}
