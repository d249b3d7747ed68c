package io.mandate.eventing.envelope;

/** Who caused an event: the CloudEvents {@code authtype} and {@code authid} extensions. */
public record Actor(String type, String id) {

    public static final Actor SYSTEM = new Actor("system", "mandate");

    public static Actor human(String id) {
        return new Actor("human", id);
    }

    public static Actor agent(String id) {
        return new Actor("agent", id);
    }

    public static Actor platformAdmin() {
        return human("bootstrap-admin");
    }
}
