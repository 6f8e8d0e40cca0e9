package io.mailferry.cli.internal;

import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.jdbc.JdbcMigrationStore;
import io.mailferry.notification.BatchReporter;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The durable state of one command: the H2 store in the state directory and a service on it,
 * closed (with its copies checkpointed) when the command ends or the process is interrupted.
 *
 * <p>Commands that only read or change state ({@code get}, {@code new}, {@code set}, {@code stop},
 * {@code remove}) open the service without resuming anything ({@link #inspect}); commands that copy
 * ({@code start}, {@code complete}, {@code sync-now}, {@code serve}) open it resuming
 * ({@link #run}): batches an interrupted command left running continue. Given a
 * {@link BatchReporter}, the session sends the batches' report e-mails; closing it closes the
 * service first (which delivers its last events), then the reporter (which waits for the reports
 * being sent), then the store.
 */
final class StateSession implements AutoCloseable {

    private final MigrationStore store;
    private final MigrationService service;
    private final BatchReporter reporter;
    private final Thread hook;

    private StateSession(Path stateDir, boolean resume, Clock clock, MigrationListener listener,
                         BatchReporter reporter) {
        this.store = JdbcMigrationStore.h2File(stateDir);
        this.reporter = reporter;
        MigrationService s;
        CliTokenProvider tokens;
        try {
            MigrationService.Builder b = MigrationService.builder().store(store).clock(clock).resumeOnStart(resume);
            tokens = CliTokenProvider.register(b);
            if (reporter != null) {
                b.listener(reporter);
            }
            if (listener != null) {
                b.listener(listener);
            }
            s = b.build();
        } catch (RuntimeException e) {
            store.close();
            if (reporter != null) {
                reporter.close();
            }
            throw e;
        }
        this.service = s;
        tokens.bind(s);
        if (reporter != null) {
            reporter.bind(s);
        }
        this.hook = new Thread(this::closeQuietly, "mailferry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Opens the state to read or change it: nothing is resumed, nothing runs by itself. */
    static StateSession inspect(Path stateDir) {
        return new StateSession(stateDir, false, Clock.systemUTC(), null, null);
    }

    /**
     * Opens the state to read it and send reports on request ({@code report --email}): nothing is
     * resumed.
     *
     * @param reporter the reporter, bound to the service here and closed with the session
     */
    static StateSession inspect(Path stateDir, BatchReporter reporter) {
        return new StateSession(stateDir, false, Clock.systemUTC(), null, reporter);
    }

    /** Opens the state to run copies: batches left running continue (once their passwords are back). */
    static StateSession run(Path stateDir, MigrationListener listener) {
        return new StateSession(stateDir, true, Clock.systemUTC(), listener, null);
    }

    /**
     * Opens the state to run copies, with the batch reports sent by a reporter (or none).
     *
     * @param reporter the reporter of {@link SmtpOptions#reporter}, or {@code null}; bound to the
     *                 service here, closed with the session after the service (so that the reports
     *                 of the last events go out)
     */
    static StateSession run(Path stateDir, MigrationListener listener, BatchReporter reporter) {
        return new StateSession(stateDir, true, Clock.systemUTC(), listener, reporter);
    }

    MigrationService service() {
        return service;
    }

    /** Returns the reporter of the session, or {@code null}. */
    BatchReporter reporter() {
        return reporter;
    }

    private void closeQuietly() {
        service.close();
        if (reporter != null) {
            reporter.close();
        }
    }

    @Override
    public void close() {
        try {
            closeQuietly();
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
