package io.mandate.token.service;

import io.agroal.api.AgroalDataSource;
import io.mandate.eventing.loop.WakeableLoop;
import io.mandate.permissions.ScopeCatalogue;
import io.mandate.token.AgentProjection;
import io.mandate.token.CredentialProjection;
import io.mandate.token.ResourceProjection;
import io.mandate.token.repository.ProjectionRepository;
import io.mandate.token.repository.ResourceProjectionRepository;
import io.mandate.token.repository.ScopeCatalogueRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * This replica's memory of the agent, credential, scope catalogue and resource projections, so that a
 * token request for a known client reads no database. Every change to these tables is announced by a
 * trigger on the {@code mandate_projection} channel (V10, V18, V19), delivered by PostgreSQL at commit
 * to every replica that listens: the entry is dropped and the next request reads the row again. While this replica is not
 * listening (start-up, lost connection) nothing is served from memory. A listening connection that
 * stops answering (a backend or network that hangs without closing the socket) counts as lost after
 * at most {@value #WAIT_MILLIS} ms of quiet plus {@value #CHECK_TIMEOUT_MILLIS} ms for the check.
 */
@ApplicationScoped
public class ProjectionCache {

    static final String CHANNEL = "mandate_projection";
    /** Past this many entries a map starts over (a bound, not a policy: the hot set refills at once). */
    private static final int MAX_ENTRIES = 100_000;
    private static final int WAIT_MILLIS = 1_000;
    /** How long the liveness check may go unanswered (a socket timeout: a hung peer never answers a cancel). */
    private static final int CHECK_TIMEOUT_MILLIS = 3_000;
    /** The listening connection's {@code application_name}, as {@code pg_stat_activity} shows it. */
    private static final String LISTENER_NAME = "token-projection-changes";

    private static final Logger LOG = Logger.getLogger(ProjectionCache.class);
    private static final ResourceProjection NO_RESOURCE = new ResourceProjection();

    private final ProjectionRepository projections;
    private final ScopeCatalogueRepository scopeCatalogues;
    private final ResourceProjectionRepository resourceProjections;
    private final AgroalDataSource dataSource;
    private final Map<String, AgentProjection> agents = new ConcurrentHashMap<>();
    private final Map<String, CredentialProjection> credentials = new ConcurrentHashMap<>();
    private final Map<String, ScopeCatalogue> catalogues = new ConcurrentHashMap<>();
    /** By URI; {@link #NO_RESOURCE} for a URI no resource has (a registration announces the URI too). */
    private final Map<String, ResourceProjection> resources = new ConcurrentHashMap<>();
    /** Moves on every change heard of: a row read before a change is not kept after it. */
    private final AtomicLong changes = new AtomicLong();
    private final WakeableLoop listener;
    private volatile boolean listening;
    private Connection connection;

    ProjectionCache(ProjectionRepository projections, ScopeCatalogueRepository scopeCatalogues,
            ResourceProjectionRepository resourceProjections, AgroalDataSource dataSource) {
        this.resourceProjections = resourceProjections;
        this.projections = projections;
        this.scopeCatalogues = scopeCatalogues;
        this.dataSource = dataSource;
        this.listener = new WakeableLoop("token-projection-changes", Duration.ZERO, this::listen);
    }

    void start(@Observes StartupEvent startup) {
        listener.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        listener.stop();
        closeConnection();
    }

    /** The agent from memory, or empty when it must be read (never touches the database). */
    public Optional<AgentProjection> cachedAgent(String agentId) {
        return Optional.ofNullable(listening ? agents.get(agentId) : null);
    }

    /** The credential from memory, or empty when it must be read (never touches the database). */
    public Optional<CredentialProjection> cachedCredential(String keyId) {
        return Optional.ofNullable(listening ? credentials.get(keyId) : null);
    }

    /** The agent from memory, else from the database (and then kept). Blocking. */
    public Optional<AgentProjection> agent(String agentId) {
        return cachedAgent(agentId).or(() -> load(agents, agentId, projections::findAgent));
    }

    /** The credential from memory, else from the database (and then kept). Blocking. */
    public Optional<CredentialProjection> credential(String keyId) {
        return cachedCredential(keyId).or(() -> load(credentials, keyId, projections::findCredential));
    }

    /** The tenant's scope catalogue from memory, or empty when it must be read (never touches the database). */
    public Optional<ScopeCatalogue> cachedCatalogue(String tenantId) {
        return Optional.ofNullable(listening ? catalogues.get(tenantId) : null);
    }

    /** The tenant's scope catalogue from memory, else from the database (and then kept). Blocking. */
    public ScopeCatalogue catalogue(String tenantId) {
        return cachedCatalogue(tenantId).or(() -> load(catalogues, tenantId, id -> Optional.of(scopeCatalogues.of(id))))
                .orElseThrow();
    }

    /** Whether this replica knows from memory if a resource has {@code uri} (never touches the database). */
    public boolean resourceInMemory(String uri) {
        return listening && resources.containsKey(uri);
    }

    /** The resource registered with {@code uri}, from memory, else from the database (and then kept, found or not). Blocking. */
    public Optional<ResourceProjection> resource(String uri) {
        ResourceProjection cached = listening ? resources.get(uri) : null;
        if (cached == null) {
            cached = load(resources, uri, u -> Optional.of(resourceProjections.findByUri(u).orElse(NO_RESOURCE))).orElseThrow();
        }
        return Optional.of(cached).filter(resource -> resource != NO_RESOURCE);
    }

    private <T> Optional<T> load(Map<String, T> cache, String id, Function<String, Optional<T>> read) {
        long before = changes.get();
        Optional<T> found = read.apply(id);
        // Kept only if no change was heard of since the read began. A change heard of later moves the
        // counter before it removes the key, so it either stops this or removes what this kept.
        found.ifPresent(row -> cache.compute(id, (key, current) -> listening && changes.get() == before ? row : current));
        if (cache.size() > MAX_ENTRIES) {
            cache.clear();
        }
        return found;
    }

    /**
     * Forgets what a notification's payload ({@code agent:<id>}, {@code credential:<key id>},
     * {@code scopes:<tenant id>}, {@code resource:<uri>}, else all) names.
     */
    private void changed(String payload) {
        String id = payload.substring(payload.indexOf(':') + 1);
        if (payload.startsWith("agent:")) {
            forgetAgent(id);
        } else if (payload.startsWith("credential:")) {
            forgetCredential(id);
        } else if (payload.startsWith("scopes:")) {
            changes.incrementAndGet();
            catalogues.remove(id);
        } else if (payload.startsWith("resource:")) {
            changes.incrementAndGet();
            resources.remove(id);
        } else {
            forgetAll();
        }
    }

    public void forgetAgent(String agentId) {
        changes.incrementAndGet();
        agents.remove(agentId);
    }

    public void forgetCredential(String keyId) {
        changes.incrementAndGet();
        credentials.remove(keyId);
    }

    private void forgetAll() {
        changes.incrementAndGet();
        agents.clear();
        credentials.clear();
        catalogues.clear();
        resources.clear();
    }

    /** One wait for notifications on the listening connection (opened first if needed). */
    private boolean listen() throws SQLException {
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
                connection.setNetworkTimeout(Runnable::run, CHECK_TIMEOUT_MILLIS);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("set application_name = '" + LISTENER_NAME + "'; listen " + CHANNEL);
                }
                // Whatever changed before the LISTEN took effect is not heard of: start from nothing.
                forgetAll();
                listening = true;
            }
            PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
            if (notifications == null || notifications.length == 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select 1"); // a dead connection must not pass for a quiet one
                }
                return true;
            }
            for (PGNotification notification : notifications) {
                changed(notification.getParameter());
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            listening = false;
            forgetAll();
            closeConnection();
            LOG.warnf("not listening for projection changes (served from the database meanwhile): %s", e.getMessage());
            throw e;
        }
    }

    /** Back to the pool as any other connection: not listening, no name, no socket timeout (if it still answers). */
    private void closeConnection() {
        if (connection != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("unlisten *; reset application_name");
                connection.setNetworkTimeout(Runnable::run, 0);
            } catch (SQLException e) {
                LOG.debugf("the listening connection is broken: %s", e.getMessage());
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("closing the listening connection: %s", e.getMessage());
            }
            connection = null;
        }
    }
}
