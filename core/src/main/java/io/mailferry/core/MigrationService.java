package io.mailferry.core;

import io.mailferry.core.engine.MigrationEngine;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.store.InMemoryMigrationStore;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.SecretStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The entry point: holds endpoints and batches, schedules users onto connection slots and runs the
 * sync engine. One per application is usual; it is thread-safe.
 *
 * <pre>{@code
 * try (MigrationService service = MigrationService.builder()
 *         .store(new InMemoryMigrationStore())
 *         .listener(new MigrationListener() {
 *             public void onUserStatusChanged(MigrationEvent.UserStatusChanged e) {
 *                 System.out.println(e.user().emailAddress() + " " + e.user().status());
 *             }
 *         })
 *         .build()) {
 *     MigrationBatch batch = service.newBatch("wave-1")
 *             .sourceEndpoint(source).targetEndpoint(target).users(users).create();
 *     batch.start();
 *     batch.awaitStatus(Duration.ofHours(1), BatchStatus::isSettled);
 * }
 * }</pre>
 *
 * <p>On {@link #build() build} the service loads the batches its store holds. Endpoints loaded
 * from a store have no administrator password (the store never holds secrets in clear text): hand
 * them back with {@link #saveEndpoint(MigrationEndpoint)}, and user passwords with
 * {@link MigrationBatch#addUsers}, before starting such a batch again — or build the service with
 * a {@link Builder#secretStore(SecretStore) secret store}, which gives them back itself.
 */
public final class MigrationService implements AutoCloseable {

    private final MigrationEngine engine;

    private MigrationService(Builder b) {
        Connectors connectors = b.connectors != null ? b.connectors : Connectors.discover(b.classLoader);
        for (ConnectorProvider p : b.extraConnectors) {
            connectors = connectors.with(p);
        }
        this.engine = new MigrationEngine(
                b.store != null ? b.store : new InMemoryMigrationStore(),
                connectors,
                b.executor,
                b.clock != null ? b.clock : Clock.systemUTC(),
                b.listeners,
                b.engineSettings,
                b.secretStore);
    }

    /** Returns a new builder; not thread-safe. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts describing a new batch.
     *
     * @param name unique batch name, 1–64 characters
     * @return a builder whose {@link MigrationBatchBuilder#create()} creates the batch here
     */
    public MigrationBatchBuilder newBatch(String name) {
        return new MigrationBatchBuilder(name, engine::createBatch);
    }

    /**
     * @param name a batch name
     * @return the batch, if this service has one of that name
     */
    public Optional<MigrationBatch> batch(String name) {
        return engine.batch(name);
    }

    /**
     * @param name a batch name
     * @return the batch
     * @throws NoSuchBatchException if there is none of that name
     */
    public MigrationBatch getBatch(String name) {
        return engine.batch(name).orElseThrow(() -> new NoSuchBatchException(name));
    }

    /** Returns every batch, by creation time. */
    public List<MigrationBatch> batches() {
        return engine.batches();
    }

    /**
     * Creates or replaces an endpoint (Exchange: {@code New-/Set-MigrationEndpoint}). Batches
     * using an endpoint of that name use the new settings from their next pass on. The
     * administrator password stays in this service's memory; the store gets the endpoint without
     * it.
     *
     * @param endpoint the endpoint
     * @throws MigrationException if no connector serves the endpoint's type
     */
    public void saveEndpoint(MigrationEndpoint endpoint) {
        engine.saveEndpoint(endpoint);
    }

    /**
     * @param name an endpoint name
     * @return the endpoint, if known
     */
    public Optional<MigrationEndpoint> endpoint(String name) {
        return engine.endpoint(name);
    }

    /**
     * Stops scheduling, interrupts running copies (their progress is checkpointed) and releases
     * threads the service created. Batches keep their stored status. The store is not closed: it
     * belongs to the host.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Configures a {@link MigrationService}. Defaults: an {@link InMemoryMigrationStore}, connectors
     * found with {@link java.util.ServiceLoader}, a thread pool of daemon threads the service owns
     * (the number of running users is bounded by the endpoints' slots), the UTC system clock.
     * Not thread-safe.
     */
    public static final class Builder {
        private MigrationStore store;
        private SecretStore secretStore;
        private Connectors connectors;
        private final List<ConnectorProvider> extraConnectors = new ArrayList<>();
        private ClassLoader classLoader;
        private ExecutorService executor;
        private Clock clock;
        private final List<MigrationListener> listeners = new ArrayList<>();
        private final Map<String, String> engineSettings = new HashMap<>();

        private Builder() {
        }

        /**
         * Overrides an engine tunable otherwise read from a system property (e.g.
         * {@code mailferry.retryDelaysMs}), for this service only. Package-private: for tests, not
         * part of the API.
         *
         * @param key   the system property name
         * @param value its value
         * @return this builder
         */
        Builder engineSetting(String key, String value) {
            engineSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @param store where state is kept, not {@code null} @return this builder */
        public Builder store(MigrationStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Keeps passwords across restarts: endpoints' administrator passwords and users' passwords
         * go to this secret store (the {@link MigrationStore} never holds them in clear text), and a
         * service built later on the same stores takes them back, so its batches can run again
         * without being handed the passwords. Without one (the default), passwords live in this
         * service's memory only. {@link io.mailferry.core.store.EncryptingSecretStore} keeps them
         * AES-GCM-encrypted in the migration store under a key the host holds.
         *
         * @param secretStore the host's secret store, not {@code null}
         * @return this builder
         */
        public Builder secretStore(SecretStore secretStore) {
            this.secretStore = Objects.requireNonNull(secretStore, "secretStore");
            return this;
        }

        /**
         * Uses exactly these connectors instead of discovering them.
         *
         * @param connectors the connectors, not {@code null}
         * @return this builder
         */
        public Builder connectors(Connectors connectors) {
            this.connectors = Objects.requireNonNull(connectors, "connectors");
            return this;
        }

        /**
         * Adds a connector to the discovered (or given) ones, replacing one of the same type.
         *
         * @param provider the connector, not {@code null}
         * @return this builder
         */
        public Builder connector(ConnectorProvider provider) {
            this.extraConnectors.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** @param classLoader where to discover connectors @return this builder */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = classLoader;
            return this;
        }

        /**
         * Runs users' migrations on the host's executor (e.g. virtual threads). The service never
         * shuts it down.
         *
         * @param executor the executor, not {@code null}
         * @return this builder
         */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @param clock the time source for timestamps and schedules, not {@code null} @return this builder */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param listener receives events, not {@code null} @return this builder */
        public Builder listener(MigrationListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the service and loads the batches in its store.
         *
         * @return the service
         */
        public MigrationService build() {
            return new MigrationService(this);
        }
    }
}
