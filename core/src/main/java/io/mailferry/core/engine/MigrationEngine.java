package io.mailferry.core.engine;

import io.mailferry.core.BatchDefinition;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.InvalidBatchDefinitionException;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.store.BatchRecord;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.SecretStore;
import io.mailferry.core.store.UserRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine behind {@link io.mailferry.core.MigrationService}: endpoints, batches, scheduling.
 * Internal; thread-safe.
 */
public final class MigrationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationEngine.class);

    private final MigrationStore store;
    private final Connectors connectors;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Clock clock;
    private final EventDispatcher events;
    private final SlotScheduler scheduler;
    private final Map<String, MigrationEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, BatchRuntime> batches = new LinkedHashMap<>();
    private final SyncSettings settings;
    private final SecretKeeper secrets;
    private volatile boolean closed;

    /**
     * @param store      the state store
     * @param connectors the connectors
     * @param executor   the host's executor, or {@code null} for one the engine owns
     * @param clock      the clock
     * @param listeners  event listeners
     */
    public MigrationEngine(MigrationStore store, Connectors connectors, ExecutorService executor, Clock clock,
                           List<MigrationListener> listeners) {
        this(store, connectors, executor, clock, listeners, Map.of());
    }

    /**
     * @param store            the state store
     * @param connectors       the connectors
     * @param executor         the host's executor, or {@code null} for one the engine owns
     * @param clock            the clock
     * @param listeners        event listeners
     * @param settingOverrides engine tunables by system property name (see {@link SyncSettings}),
     *                         taking precedence over system properties; for tests
     */
    public MigrationEngine(MigrationStore store, Connectors connectors, ExecutorService executor, Clock clock,
                           List<MigrationListener> listeners, Map<String, String> settingOverrides) {
        this(store, connectors, executor, clock, listeners, settingOverrides, null);
    }

    /**
     * @param store            the state store
     * @param connectors       the connectors
     * @param executor         the host's executor, or {@code null} for one the engine owns
     * @param clock            the clock
     * @param listeners        event listeners
     * @param settingOverrides engine tunables by system property name (see {@link SyncSettings})
     * @param secretStore      where passwords are kept across restarts, or {@code null} for memory only
     */
    public MigrationEngine(MigrationStore store, Connectors connectors, ExecutorService executor, Clock clock,
                           List<MigrationListener> listeners, Map<String, String> settingOverrides,
                           SecretStore secretStore) {
        this.secrets = new SecretKeeper(secretStore);
        this.store = store;
        this.connectors = connectors;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newCachedThreadPool(daemonThreads());
        this.clock = clock;
        this.events = new EventDispatcher(listeners);
        this.scheduler = new SlotScheduler(this.executor, this::endpointOrNull);
        this.settings = SyncSettings.from(settingOverrides);
        load();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mailferry-user-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void load() {
        for (MigrationEndpoint ep : store.endpoints()) {
            endpoints.put(ep.name(), secrets.restore(ep));
        }
        for (BatchRecord br : store.batches()) {
            List<UserRuntime> users = new ArrayList<>();
            for (UserRecord ur : store.users(br.name())) {
                UserRuntime u = UserRuntime.fromRecord(ur);
                MigrationUserEntry kept = secrets.restore(br.name(), ur.entry());
                if (kept != ur.entry()) {
                    u.updateCredentials(kept);
                }
                users.add(u);
            }
            BatchRuntime batch = new BatchRuntime(this, br, users);
            batches.put(br.name(), batch);
            batch.restoreAfterRestart();
        }
    }

    MigrationStore store() {
        return store;
    }

    Connectors connectors() {
        return connectors;
    }

    Clock clock() {
        return clock;
    }

    SyncSettings settings() {
        return settings;
    }

    Instant now() {
        return clock.instant();
    }

    void publish(MigrationEvent event) {
        events.publish(event);
    }

    /** Creates a batch from a definition. */
    public MigrationBatch createBatch(BatchDefinition def) {
        BatchRuntime batch;
        synchronized (this) {
            if (closed) {
                throw new MigrationException("The migration service is closed");
            }
            if (batches.containsKey(def.name())) {
                throw new InvalidBatchDefinitionException("A batch named '" + def.name()
                        + "' already exists; batch names must be unique");
            }
            requireConnector(def.sourceEndpoint());
            requireConnector(def.targetEndpoint());
            checkUsersFree(def.name(), def.users());
            registerEndpoint(def.sourceEndpoint());
            registerEndpoint(def.targetEndpoint());
            Instant now = now();
            BatchRecord record = new BatchRecord(def.name(), def.sourceEndpoint().name(), def.targetEndpoint().name(),
                    def.options(), BatchStatus.CREATED, now, null, null, null, null);
            store.saveBatch(record);
            List<UserRuntime> users = new ArrayList<>();
            for (MigrationUserEntry e : def.users()) {
                UserRuntime u = new UserRuntime(def.name(), e, MigrationUserStatus.QUEUED,
                        MigrationUserStatistics.EMPTY, null, now);
                store.saveUser(u.record());
                secrets.remember(def.name(), e);
                users.add(u);
            }
            batch = new BatchRuntime(this, record, users);
            batches.put(def.name(), batch);
        }
        publish(new MigrationEvent.BatchStatusChanged(def.name(), now(), BatchStatus.CREATED, BatchStatus.CREATED));
        scheduler.dispatch(); // the batch may have changed an endpoint's limits: queued work may fit now
        if (def.options().autoStart()) {
            batch.start();
        }
        return batch;
    }

    /** As {@link io.mailferry.core.MigrationBatchBuilder#create()} documents: an invalid definition. */
    private void requireConnector(MigrationEndpoint endpoint) {
        try {
            connectors.require(endpoint.type());
        } catch (MigrationException e) {
            throw new InvalidBatchDefinitionException("Endpoint '" + endpoint.name() + "': " + e.getMessage());
        }
    }

    /**
     * Rejects users that belong to another batch (a mailbox belongs to one batch at a time).
     */
    synchronized void checkUsersFree(String batchName, Collection<MigrationUserEntry> entries) {
        for (MigrationUserEntry e : entries) {
            for (BatchRuntime other : batches.values()) {
                if (!other.name().equals(batchName) && other.user(e.emailAddress()).isPresent()) {
                    throw new InvalidBatchDefinitionException("User " + e.emailAddress()
                            + " already belongs to batch '" + other.name()
                            + "'; a mailbox can be in one batch at a time (remove it there first)");
                }
            }
        }
    }

    private void registerEndpoint(MigrationEndpoint ep) {
        MigrationEndpoint known = endpoints.get(ep.name());
        if (known == null || !known.equals(ep)) {
            storeEndpoint(ep);
        }
    }

    /** Creates or replaces an endpoint; the store gets it without the administrator password. */
    public void saveEndpoint(MigrationEndpoint endpoint) {
        synchronized (this) {
            storeEndpoint(endpoint);
        }
        // Outside the engine lock: dispatch holds the scheduler's lock and asks the engine for
        // endpoints, so dispatching under the engine lock deadlocked against a pass ending.
        scheduler.dispatch();
    }

    private void storeEndpoint(MigrationEndpoint endpoint) {
        connectors.require(endpoint.type());
        endpoints.put(endpoint.name(), endpoint);
        MigrationEndpoint stripped = endpoint.admin()
                .map(c -> endpoint.toBuilder().adminCredentials(new Credentials(c.username(), "")).build())
                .orElse(endpoint);
        store.saveEndpoint(stripped);
        secrets.remember(endpoint);
    }

    SecretKeeper secrets() {
        return secrets;
    }

    /** Returns an endpoint by name. */
    public synchronized Optional<MigrationEndpoint> endpoint(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    private synchronized MigrationEndpoint endpointOrNull(String name) {
        return endpoints.get(name);
    }

    MigrationEndpoint requireEndpoint(String name) {
        MigrationEndpoint ep = endpointOrNull(name);
        if (ep == null) {
            throw new MigrationException("Endpoint '" + name + "' is not known to this service");
        }
        return ep;
    }

    /** Returns a batch by name. */
    public synchronized Optional<MigrationBatch> batch(String name) {
        return Optional.ofNullable(batches.get(name));
    }

    /** Returns all batches. */
    public synchronized List<MigrationBatch> batches() {
        return List.copyOf(batches.values());
    }

    /** Queues one pass of a user; the batch has marked it scheduled. */
    void schedule(BatchRuntime batch, UserRuntime user) {
        boolean incremental = user.initialSyncDone() && !user.status().isFailed()
                || user.status() == MigrationUserStatus.INCREMENTAL_FAILED;
        UserSync work = new UserSync(this, batch, user, incremental);
        work.queued();
        scheduler.submit(work);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        scheduler.close();
        if (ownsExecutor) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Some migrations did not stop within 30 s of closing the service");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        events.close();
    }

    boolean isClosed() {
        return closed;
    }
}
