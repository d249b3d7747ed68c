package io.mandate.permissions;

/** A permission string off the {@code service:resource:action} grammar. */
public class BadPermissionException extends IllegalArgumentException {

    private final String permission;

    public BadPermissionException(String permission, String reason) {
        super("invalid permission '" + permission + "': " + reason);
        this.permission = permission;
    }

    public String permission() {
        return permission;
    }
}
