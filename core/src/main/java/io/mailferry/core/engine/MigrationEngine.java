package io.mailferry.core.engine;

import io.mailferry.core.BatchDefinition;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointInUseException;
import io.mailferry.core.EndpointVerificationException;
import io.mailferry.core.InvalidBatchDefinitionException;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationScheduler;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.NoSuchEndpointException;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MailboxAccess;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine behind {@link io.mailferry.core.MigrationService}: endpoints, batches, scheduling.
 * Internal; thread-safe. Lock order: engine, then batch, then user.
 */
public final class MigrationEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationEngine.class);

    private final MigrationStore store;
    private final Connectors connectors;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Clock clock;
    private final MigrationScheduler timers;
    private final boolean ownsTimers;
    private final EventDispatcher events;
    private final SlotScheduler slots;
    /** Endpoints by name, with their secrets; read without the engine lock, written under it. */
    private final Map<String, MigrationEndpoint> endpoints = new ConcurrentHashMap<>();
    /** Endpoints loaded from the store whose administrator password has not been given back yet. */
    private final SecretKeeper secrets;
    private final Set<String> endpointsWithoutSecret = ConcurrentHashMap.newKeySet();
    private final Map<String, BatchRuntime> batches = new LinkedHashMap<>();
    private final SyncSettings settings;
    private volatile boolean closed;

    /**
     * @param store            the state store
     * @param connectors       the connectors
     * @param executor         the host's executor, or {@code null} for one the engine owns
     * @param clock            the clock
     * @param scheduler        the host's timer scheduler, or {@code null} for one the engine owns
     * @param listeners        event listeners
     * @param settingOverrides engine tunables by system property name (see {@link SyncSettings}),
     *                         taking precedence over system properties; for tests
     * @param resumeOnStart    {@code true} to bring loaded batches back where they were (running
     *                         ones continue, timers are set); {@code false} to load them as they
     *                         are stored and run nothing until a command says so
     * @param secretStore      where passwords are kept across restarts, or {@code null} for memory only
     */
    public MigrationEngine(MigrationStore store, Connectors connectors, ExecutorService executor, Clock clock,
                           MigrationScheduler scheduler, List<MigrationListener> listeners,
                           Map<String, String> settingOverrides, boolean resumeOnStart, SecretStore secretStore) {
        this.secrets = new SecretKeeper(secretStore);
        this.store = store;
        this.connectors = connectors;
        this.ownsExecutor = executor == null;
        this.executor = executor != null ? executor : Executors.newCachedThreadPool(daemonThreads());
        this.clock = clock;
        this.ownsTimers = scheduler == null;
        this.timers = scheduler != null ? scheduler : MigrationScheduler.system(clock);
        this.events = new EventDispatcher(listeners);
        this.slots = new SlotScheduler(this.executor, endpoints::get);
        this.settings = SyncSettings.from(settingOverrides);
        load(resumeOnStart);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mailferry-user-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void load(boolean resume) {
        List<BatchRuntime> loaded = new ArrayList<>();
        synchronized (this) {
            for (MigrationEndpoint stored : store.endpoints()) {
                MigrationEndpoint ep = secrets.restore(stored);
                endpoints.put(ep.name(), ep);
                if (ep.admin().map(c -> c.password().isEmpty()).orElse(false)) {
                    endpointsWithoutSecret.add(ep.name());
                }
            }
            Instant now = now();
            for (BatchRecord br : store.batches()) {
                if (br.status() == BatchStatus.REMOVING) {
                    // removal was interrupted: finish it
                    store.deleteBatch(br.name());
                    continue;
                }
                List<UserRuntime> users = new ArrayList<>();
                String unreadable = null;
                try {
                    for (UserRecord ur : store.users(br.name())) {
                        UserRuntime u = UserRuntime.fromRecord(ur, now);
                        MigrationUserEntry kept = secrets.restore(br.name(), ur.entry());
                        if (kept != ur.entry()) {
                            u.updateCredentials(kept);
                        }
                        users.add(u);
                    }
                } catch (MigrationException e) {
                    unreadable = e.getMessage();
                    users.clear();
                }
                BatchRuntime batch = new BatchRuntime(this, br, users);
                if (unreadable != null) {
                    batch.corrupted(unreadable);
                }
                batches.put(br.name(), batch);
                loaded.add(batch);
            }
        }
        if (resume) {
            for (BatchRuntime b : loaded) {
                b.restoreAfterRestart();
            }
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

    // =============================================================================================
    // Batches

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
                    def.options(), BatchStatus.CREATED, now, null, null, null, null, null, def.createdBy());
            store.saveBatch(record);
            List<UserRuntime> users = new ArrayList<>();
            for (MigrationUserEntry e : def.users()) {
                UserRuntime u = new UserRuntime(def.name(), e, MigrationUserStatus.QUEUED,
                        MigrationUserStatistics.EMPTY, null, now);
                store.saveUser(u.record(now));
                secrets.remember(def.name(), e);
                users.add(u);
            }
            batch = new BatchRuntime(this, record, users);
            batches.put(def.name(), batch);
        }
        publish(new MigrationEvent.BatchStatusChanged(def.name(), now(), BatchStatus.CREATED, BatchStatus.CREATED));
        batch.created();
        credentialsChanged(); // the batch may have brought an endpoint's secret back
        slots.dispatch(); // the batch may have changed an endpoint's limits: queued work may fit now
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
                if (!other.name().equals(batchName) && other.hasUser(e.emailAddress())) {
                    throw new InvalidBatchDefinitionException("User " + e.emailAddress()
                            + " already belongs to batch '" + other.name()
                            + "'; a mailbox can be in one batch at a time (remove it there first)");
                }
            }
        }
    }

    /** Returns a batch by name. */
    public synchronized Optional<MigrationBatch> batch(String name) {
        return Optional.ofNullable(batches.get(name));
    }

    /** Returns all batches. */
    public synchronized List<MigrationBatch> batches() {
        return List.copyOf(batches.values());
    }

    /** Forgets a removed batch; caller holds the engine lock. */
    void forget(String name) {
        batches.remove(name);
    }

    /** Finds a user in any batch. */
    public Optional<MigrationUser> findUser(String emailAddress) {
        for (MigrationBatch b : batches()) {
            Optional<MigrationUser> u = b.user(emailAddress);
            if (u.isPresent()) {
                return u;
            }
        }
        return Optional.empty();
    }

    // =============================================================================================
    // Endpoints

    /** Creates an endpoint, testing it first unless {@code skipVerification}. */
    public MigrationEndpoint createEndpoint(MigrationEndpoint endpoint, boolean skipVerification) {
        connectors.require(endpoint.type());
        synchronized (this) {
            if (endpoints.containsKey(endpoint.name())) {
                throw new MigrationException("An endpoint named '" + endpoint.name()
                        + "' already exists; change it with setEndpoint, or choose another name");
            }
        }
        if (!skipVerification) {
            ServerAvailability result = testServerAvailability(endpoint, null);
            if (!result.isSuccess()) {
                throw new EndpointVerificationException(endpoint.name(), result);
            }
        }
        synchronized (this) {
            if (endpoints.containsKey(endpoint.name())) {
                throw new MigrationException("An endpoint named '" + endpoint.name() + "' already exists");
            }
            storeEndpoint(endpoint);
        }
        credentialsChanged();
        slots.dispatch();
        return endpoint;
    }

    /** Changes an existing endpoint; refused while a batch using it runs, unless only secrets change. */
    public MigrationEndpoint setEndpoint(MigrationEndpoint endpoint) {
        connectors.require(endpoint.type());
        synchronized (this) {
            MigrationEndpoint known = endpoints.get(endpoint.name());
            if (known == null) {
                throw new NoSuchEndpointException(endpoint.name());
            }
            replaceEndpoint(known, endpoint);
        }
        // Outside the engine lock: dispatch holds the scheduler's lock briefly, and batches take
        // their own locks to resume users waiting for the endpoint's password.
        credentialsChanged();
        slots.dispatch();
        return endpoint;
    }

    /** Creates (without a test) or changes an endpoint. */
    public void saveEndpoint(MigrationEndpoint endpoint) {
        connectors.require(endpoint.type());
        synchronized (this) {
            MigrationEndpoint known = endpoints.get(endpoint.name());
            if (known == null) {
                storeEndpoint(endpoint);
            } else {
                replaceEndpoint(known, endpoint);
            }
        }
        credentialsChanged();
        slots.dispatch();
    }

    /** A batch's endpoint: registered if new, updated if given with other settings. */
    private void registerEndpoint(MigrationEndpoint ep) {
        MigrationEndpoint known = endpoints.get(ep.name());
        if (known == null) {
            storeEndpoint(ep);
        } else if (!known.equals(ep)) {
            replaceEndpoint(known, ep);
        }
    }

    private void replaceEndpoint(MigrationEndpoint known, MigrationEndpoint endpoint) {
        if (!stripped(known).equals(stripped(endpoint))) {
            List<String> running = batchesUsing(endpoint.name(), true);
            if (!running.isEmpty()) {
                throw new EndpointInUseException(endpoint.name(), running, "Endpoint '" + endpoint.name()
                        + "' cannot be changed while batch(es) " + running + " using it are running; stop them first"
                        + " (its administrator password can be given back at any time)");
            }
        }
        storeEndpoint(endpoint);
    }

    private void storeEndpoint(MigrationEndpoint endpoint) {
        endpoints.put(endpoint.name(), endpoint);
        if (endpoint.admin().map(c -> !c.password().isEmpty()).orElse(true)) {
            endpointsWithoutSecret.remove(endpoint.name());
        }
        store.saveEndpoint(stripped(endpoint));
        secrets.remember(endpoint);
    }

    SecretKeeper secrets() {
        return secrets;
    }

    /** The endpoint as the store holds it: the administrator without password. */
    private static MigrationEndpoint stripped(MigrationEndpoint endpoint) {
        return endpoint.admin()
                .map(c -> endpoint.toBuilder().adminCredentials(new Credentials(c.username(), "")).build())
                .orElse(endpoint);
    }

    /** Removes an endpoint; refused while any batch uses it. */
    public void removeEndpoint(String name) {
        synchronized (this) {
            if (!endpoints.containsKey(name)) {
                throw new NoSuchEndpointException(name);
            }
            List<String> using = batchesUsing(name, false);
            if (!using.isEmpty()) {
                throw new EndpointInUseException(name, using, "Endpoint '" + name + "' cannot be removed: batch(es) "
                        + using + " use it; remove them first");
            }
            endpoints.remove(name);
            endpointsWithoutSecret.remove(name);
            store.deleteEndpoint(name);
        }
    }

    /** Names of batches using an endpoint (only running ones if {@code runningOnly}); engine lock held. */
    private List<String> batchesUsing(String endpoint, boolean runningOnly) {
        List<String> out = new ArrayList<>();
        for (BatchRuntime b : batches.values()) {
            BatchRecord r = b.recordSnapshot();
            if ((r.sourceEndpoint().equals(endpoint) || r.targetEndpoint().equals(endpoint))
                    && (!runningOnly || r.status().isActive())) {
                out.add(b.name());
            }
        }
        return out;
    }

    /** Returns an endpoint by name. */
    public Optional<MigrationEndpoint> endpoint(String name) {
        return Optional.ofNullable(endpoints.get(name));
    }

    /** Returns every endpoint, by name. */
    public List<MigrationEndpoint> endpoints() {
        return endpoints.values().stream().sorted(java.util.Comparator.comparing(MigrationEndpoint::name)).toList();
    }

    MigrationEndpoint requireEndpoint(String name) {
        MigrationEndpoint ep = endpoints.get(name);
        if (ep == null) {
            throw new MigrationException("Endpoint '" + name + "' is not known to this service");
        }
        return ep;
    }

    /** Tests an endpoint: logs in with {@code access} if given, else connects only. */
    public ServerAvailability testServerAvailability(MigrationEndpoint endpoint, MailboxAccess access) {
        ConnectorProvider provider = connectors.require(endpoint.type());
        try {
            return provider.testConnection(endpoint, access);
        } catch (RuntimeException e) {
            LOG.warn("Connection test of endpoint '{}' failed unexpectedly", endpoint.name(), e);
            return ServerAvailability.failure(endpoint, false, false, access != null, List.of(), null,
                    ServerAvailability.Failure.PROTOCOL, "The connector failed: " + e);
        }
    }

    /**
     * Says what credentials a user's pass needs but the service does not hold (after a restart: the
     * store holds no passwords), or {@code null} if it can run.
     */
    String missingCredentials(BatchRuntime batch, UserRuntime u) {
        MigrationUserEntry e = u.entry();
        boolean stored = u.secretsFromStore();
        BatchRecord r = batch.recordSnapshot();
        MigrationEndpoint source = endpoints.get(r.sourceEndpoint());
        MigrationEndpoint target = endpoints.get(r.targetEndpoint());
        List<String> missing = new ArrayList<>();
        if (e.sourcePassword() == null) {
            if (source != null && source.admin().isPresent()) {
                if (endpointsWithoutSecret.contains(source.name())) {
                    missing.add("the administrator password of source endpoint '" + source.name()
                            + "' (MigrationService.setEndpoint)");
                }
            } else if (stored) {
                missing.add("the source password of " + e.emailAddress() + " (MigrationBatch.addUsers)");
            }
        }
        boolean ownTarget = e.targetUserName() != null && e.targetPassword() != null && !e.targetPassword().isEmpty();
        if (!ownTarget) {
            if (e.targetUserName() != null && stored) {
                missing.add("the target password of " + e.emailAddress() + " (MigrationBatch.addUsers)");
            } else if (target != null && target.admin().isPresent() && endpointsWithoutSecret.contains(target.name())) {
                missing.add("the administrator password of target endpoint '" + target.name()
                        + "' (MigrationService.setEndpoint)");
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return "Waiting for credentials: " + String.join(", ", missing)
                + "; the store never holds passwords, so hand them back after a restart";
    }

    /** Credentials may have come back: every batch resumes the users waiting for them. */
    private void credentialsChanged() {
        for (MigrationBatch b : batches()) {
            ((BatchRuntime) b).credentialsChanged();
        }
    }

    // =============================================================================================
    // Work and timers

    /** Queues one pass for slots. */
    void submit(UserSync work) {
        slots.submit(work);
    }

    /** Drops a queued pass; {@code true} if it had not started. */
    boolean cancelQueued(UserSync work) {
        return slots.cancel(work);
    }

    /** Runs a task at a time of the clock, unless the service has closed by then. */
    MigrationScheduler.Cancellable schedule(Instant time, Runnable task) {
        if (closed) {
            return () -> { };
        }
        return timers.schedule(time, () -> {
            if (!closed) {
                task.run();
            }
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ownsTimers) {
            timers.shutdown();
        }
        slots.close();
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
