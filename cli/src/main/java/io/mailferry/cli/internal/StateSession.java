package io.mailferry.cli.internal;

import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The durable state of one command: the H2 store in the state directory and a service on it,
 * closed (with its copies checkpointed) when the command ends or the process is interrupted.
 *
 * <p>Commands that only read or change state ({@code get}, {@code new}, {@code set}, {@code stop},
 * {@code remove}) open the service without resuming anything ({@link #inspect}); commands that copy
 * ({@code start}, {@code complete}, {@code sync-now}, {@code serve}) open it resuming
 * ({@link #run}): batches an interrupted command left running continue.
 */
final class StateSession implements AutoCloseable {

    private final MigrationStore store;
    private final MigrationService service;
    private final Thread hook;

    private StateSession(Path stateDir, boolean resume, Clock clock, MigrationListener listener) {
        this.store = JdbcMigrationStore.h2File(stateDir);
        MigrationService s;
        try {
            MigrationService.Builder b = MigrationService.builder().store(store).clock(clock).resumeOnStart(resume);
            if (listener != null) {
                b.listener(listener);
            }
            s = b.build();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.service = s;
        this.hook = new Thread(service::close, "mailferry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Opens the state to read or change it: nothing is resumed, nothing runs by itself. */
    static StateSession inspect(Path stateDir) {
        return new StateSession(stateDir, false, Clock.systemUTC(), null);
    }

    /** Opens the state to run copies: batches left running continue (once their passwords are back). */
    static StateSession run(Path stateDir, MigrationListener listener) {
        return new StateSession(stateDir, true, Clock.systemUTC(), listener);
    }

    MigrationService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            service.close();
            store.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM is exiting
            }
        }
    }
}
