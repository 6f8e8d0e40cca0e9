package io.mailferry.core;

import io.mailferry.core.engine.MigrationEngine;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MailboxAccess;
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
 * <p>On {@link Builder#build() build} the service loads the batches its store holds and brings
 * them back where they were: a batch that was running continues (its users resume from their
 * folder checkpoints, nothing is copied twice), a stopped one stays stopped, a synced one gets its
 * incremental passes on schedule. The store never holds secrets: endpoints come back without their
 * administrator password and users without theirs, and a user whose pass needs a missing password
 * waits for it (its {@link MigrationUser#statusDetail() status detail} says which) until the host
 * hands it back with {@link #setEndpoint(MigrationEndpoint)} or {@link MigrationBatch#addUsers} —
 * or the service was built with a {@link Builder#secretStore(SecretStore) secret store}, which
 * keeps passwords sealed across restarts and gives them back itself.
 *
 * <p>Time: every schedule (StartAfter, CompleteAfter, the incremental interval, the report
 * interval) follows the service's {@link java.time.Clock} and runs on its {@link MigrationScheduler};
 * a test passes a {@link ManualScheduler} and moves time instead of waiting.
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
                b.scheduler,
                b.listeners,
                b.engineSettings,
                b.resumeOnStart,
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
        return new MigrationBatchBuilder(name, engine::createBatch, n -> engine.endpoint(n).orElse(null));
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
     * Finds a user in any batch (a mailbox belongs to one batch at a time; Exchange:
     * {@code Get-MigrationUser}).
     *
     * @param emailAddress the user's e-mail address, ignoring case
     * @return the user's snapshot, if a batch has it
     */
    public Optional<MigrationUser> findUser(String emailAddress) {
        return engine.findUser(emailAddress);
    }

    /**
     * Creates an endpoint after testing it (Exchange: {@code New-MigrationEndpoint}): the service
     * connects, negotiates security and, with administrator credentials, logs in; if that fails the
     * endpoint is not created.
     *
     * @param endpoint the endpoint, with its administrator password if it has an administrator
     * @return the endpoint
     * @throws EndpointVerificationException if the test failed (its result says how far it got)
     * @throws MigrationException            if an endpoint of that name exists, or no connector
     *                                       serves the endpoint's type
     */
    public MigrationEndpoint newEndpoint(MigrationEndpoint endpoint) {
        return engine.createEndpoint(endpoint, false);
    }

    /**
     * Creates an endpoint, testing it unless {@code skipVerification} (Exchange:
     * {@code New-MigrationEndpoint -SkipVerification}).
     *
     * @param endpoint         the endpoint
     * @param skipVerification {@code true} to create it without a connection test
     * @return the endpoint
     * @throws EndpointVerificationException if the test failed
     * @throws MigrationException            if an endpoint of that name exists, or no connector
     *                                       serves the endpoint's type
     */
    public MigrationEndpoint newEndpoint(MigrationEndpoint endpoint, boolean skipVerification) {
        return engine.createEndpoint(endpoint, skipVerification);
    }

    /**
     * Changes an endpoint (Exchange: {@code Set-MigrationEndpoint}). Batches using it get the new
     * settings from their next pass on. Refused while a batch using it is running
     * ({@link BatchStatus#isActive()}), except when only the administrator password changes:
     * handing the password back (after a restart) is allowed at any time, and resumes users
     * waiting for it. The password stays in this service's memory; the store gets the endpoint
     * without it.
     *
     * @param endpoint the endpoint's new settings; its name says which endpoint
     * @return the endpoint
     * @throws NoSuchEndpointException if there is no endpoint of that name
     * @throws EndpointInUseException  if a running batch uses it and settings other than the
     *                                 password change
     */
    public MigrationEndpoint setEndpoint(MigrationEndpoint endpoint) {
        return engine.setEndpoint(endpoint);
    }

    /**
     * Creates an endpoint without testing it, or changes it as {@link #setEndpoint} does.
     *
     * @param endpoint the endpoint
     * @throws EndpointInUseException if it exists, a running batch uses it and settings other than
     *                                the password change
     * @throws MigrationException     if no connector serves the endpoint's type
     */
    public void saveEndpoint(MigrationEndpoint endpoint) {
        engine.saveEndpoint(endpoint);
    }

    /**
     * Removes an endpoint (Exchange: {@code Remove-MigrationEndpoint}).
     *
     * @param name the endpoint's name
     * @throws NoSuchEndpointException if there is none of that name
     * @throws EndpointInUseException  if a batch uses it (in any status; remove the batch first)
     */
    public void removeEndpoint(String name) {
        engine.removeEndpoint(name);
    }

    /**
     * @param name an endpoint name
     * @return the endpoint, if known (with its administrator password if this service was given it)
     */
    public Optional<MigrationEndpoint> endpoint(String name) {
        return engine.endpoint(name);
    }

    /**
     * @param name an endpoint name
     * @return the endpoint
     * @throws NoSuchEndpointException if there is none of that name
     */
    public MigrationEndpoint getEndpoint(String name) {
        return engine.endpoint(name).orElseThrow(() -> new NoSuchEndpointException(name));
    }

    /** Returns every endpoint, by name (Exchange: {@code Get-MigrationEndpoint}). */
    public List<MigrationEndpoint> endpoints() {
        return engine.endpoints();
    }

    /**
     * Tests an endpoint's settings without creating anything (Exchange:
     * {@code Test-MigrationServerAvailability}): connects, negotiates security and lists the
     * server's capabilities, without logging in (as Exchange tests an IMAP endpoint, which has no
     * credentials of its own). {@link #newEndpoint(MigrationEndpoint)} runs this test.
     *
     * @param endpoint the settings to test (need not be saved)
     * @return the result; a failure is a result, never an exception
     * @throws MigrationException if no connector serves the endpoint's type
     */
    public ServerAvailability testServerAvailability(MigrationEndpoint endpoint) {
        return engine.testServerAvailability(endpoint, null);
    }

    /**
     * Tests an endpoint's settings and logs in with the given credentials (e.g. one user's, as in
     * {@code Test-MigrationServerAvailability -Credentials}).
     *
     * @param endpoint    the settings to test
     * @param credentials who logs in, not {@code null}
     * @return the result; a failure is a result, never an exception
     * @throws MigrationException if no connector serves the endpoint's type
     */
    public ServerAvailability testServerAvailability(MigrationEndpoint endpoint, Credentials credentials) {
        return engine.testServerAvailability(endpoint,
                MailboxAccess.own(java.util.Objects.requireNonNull(credentials, "credentials")));
    }

    /**
     * Tests an endpoint's settings and opens one mailbox through the endpoint's administrator
     * credentials and impersonation ({@code Test-MigrationServerAvailability -EmailAddress}): the
     * way every user of a batch will be opened.
     *
     * @param endpoint the settings to test, with administrator credentials
     * @param mailbox  the mailbox to open (a login name or e-mail address), not blank
     * @return the result; a failure is a result, never an exception
     * @throws IllegalArgumentException if the endpoint has no administrator credentials
     * @throws MigrationException       if no connector serves the endpoint's type
     */
    public ServerAvailability testServerAvailability(MigrationEndpoint endpoint, String mailbox) {
        Credentials admin = endpoint.admin().orElseThrow(() -> new IllegalArgumentException("endpoint '"
                + endpoint.name() + "' has no administrator credentials to open mailbox " + mailbox + " with"));
        return engine.testServerAvailability(endpoint, MailboxAccess.impersonating(mailbox, admin));
    }

    /**
     * Tests a saved endpoint ({@code Test-MigrationServerAvailability -Endpoint}).
     *
     * @param endpointName the endpoint's name
     * @return the result
     * @throws NoSuchEndpointException if there is no endpoint of that name
     */
    public ServerAvailability testServerAvailability(String endpointName) {
        return engine.testServerAvailability(getEndpoint(endpointName), null);
    }

    /**
     * Stops scheduling, interrupts running copies (their progress is checkpointed) and releases
     * threads the service created. Batches keep their stored status, so a service built later on
     * the same store continues them. The store, and a scheduler or executor the host gave, are not
     * closed: they belong to the host.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * Configures a {@link MigrationService}. Defaults: an {@link InMemoryMigrationStore}, connectors
     * found with {@link java.util.ServiceLoader}, a thread pool of daemon threads the service owns
     * (the number of running users is bounded by the endpoints' slots), the UTC system clock and
     * a {@link MigrationScheduler#system(Clock) scheduler} on it. Not thread-safe.
     */
    public static final class Builder {
        private MigrationStore store;
        private SecretStore secretStore;
        private Connectors connectors;
        private final List<ConnectorProvider> extraConnectors = new ArrayList<>();
        private ClassLoader classLoader;
        private ExecutorService executor;
        private Clock clock;
        private MigrationScheduler scheduler;
        private boolean resumeOnStart = true;
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

        /**
         * Runs the service's timed work (StartAfter, CompleteAfter, incremental and report
         * intervals) on the host's scheduler, e.g. a {@link ManualScheduler} in tests (pass its
         * {@link ManualScheduler#clock() clock} to {@link #clock(Clock)} too). The service never
         * shuts it down.
         *
         * @param scheduler the scheduler, not {@code null}
         * @return this builder
         */
        public Builder scheduler(MigrationScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Whether the service brings the batches of its store back where they were (the default:
         * running batches continue, synced ones get their incremental passes on schedule), or only
         * loads them as stored: nothing runs and no timer is set until a command is given. The
         * latter suits tools that inspect or change state while no migration should run, like
         * the CLI's {@code get}, {@code set}, {@code stop} and {@code remove} commands.
         *
         * @param resume {@code false} to load without resuming
         * @return this builder
         */
        public Builder resumeOnStart(boolean resume) {
            this.resumeOnStart = resume;
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
