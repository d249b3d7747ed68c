package io.mandate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The profile file: {@code {"current": "default", "profiles": {"default": {"url", "tenant", "token", ...}}}} at
 * {@code MANDATE_CONFIG}, else {@code $XDG_CONFIG_HOME/mandate/config.json}, else
 * {@code ~/.config/mandate/config.json}. It holds the sign-in token, so it is written readable by its owner only.
 */
public final class Profiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final ObjectNode root;

    private Profiles(Path file, ObjectNode root) {
        this.file = file;
        this.root = root;
    }

    static Path location(Map<String, String> env) {
        if (env.get("MANDATE_CONFIG") != null) {
            return Path.of(env.get("MANDATE_CONFIG"));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("mandate").resolve("config.json");
    }

    static Profiles load(Map<String, String> env) {
        Path file = location(env);
        try {
            ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
            if (!root.has("profiles")) {
                root.putObject("profiles");
            }
            return new Profiles(file, root);
        } catch (IOException | ClassCastException e) {
            throw new UsageException("cannot read the profile file " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /** The profile named, or the current one, or {@code default}. */
    public String current(String named) {
        if (named != null && !named.isBlank()) {
            return named;
        }
        return root.path("current").asText("default");
    }

    /** The profile's settings (an empty object if it does not exist yet); changes are kept by {@link #save()}. */
    public ObjectNode profile(String name) {
        ObjectNode profiles = (ObjectNode) root.get("profiles");
        JsonNode existing = profiles.get(name);
        return existing instanceof ObjectNode object ? object : profiles.putObject(name);
    }

    public JsonNode all() {
        return root;
    }

    public void use(String name) {
        root.put("current", name);
    }

    /** Writes the file atomically, readable and writable by its owner only. */
    public void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".config", ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the user's profile directory is private already.
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profile file " + file, e);
        }
    }
}
