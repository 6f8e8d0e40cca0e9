package io.mailferry.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the service's timed work at instants of its {@link Clock}: a batch's StartAfter and
 * CompleteAfter, a user's own StartAfter and CompleteAfter, the incremental sync interval and the
 * report interval. The service never sleeps to wait for a time; it asks its scheduler.
 *
 * <p>The default ({@link #system(Clock)}) waits on a thread; a host can replace it, e.g. with its
 * own timer service, and a test with a {@link ManualScheduler}, whose time moves only when the
 * test advances it. Implementations must be thread-safe. Tasks are short: they only hand work to
 * the engine.
 */
public interface MigrationScheduler {

    /**
     * Runs a task once the clock has reached a time (at once if it already has). The task may run
     * on any thread.
     *
     * @param time when, on the service's clock, not {@code null}
     * @param task what to run, not {@code null}; it must not block
     * @return a handle to cancel the task
     */
    Cancellable schedule(Instant time, Runnable task);

    /** Stops running tasks and releases threads. The default does nothing. */
    default void shutdown() {
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run; harmless if it has. */
        void cancel();
    }

    /**
     * The default scheduler: one daemon thread that waits for the time on the given clock. If the
     * clock is behind when the wait ends (e.g. adjusted), it waits again for the rest.
     *
     * @param clock the service's clock, not {@code null}
     * @return a new scheduler; {@link #shutdown()} stops its thread
     */
    static MigrationScheduler system(Clock clock) {
        return new SystemScheduler(clock);
    }

    /** The scheduler of {@link #system(Clock)}. */
    final class SystemScheduler implements MigrationScheduler {
        private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);
        private final Clock clock;
        private final ScheduledThreadPoolExecutor executor;

        private SystemScheduler(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            this.executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "mailferry-scheduler");
                t.setDaemon(true);
                return t;
            });
            this.executor.setRemoveOnCancelPolicy(true);
            this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public Cancellable schedule(Instant time, Runnable task) {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(task, "task");
            AtomicReference<ScheduledFuture<?>> current = new AtomicReference<>();
            Runnable[] step = new Runnable[1];
            step[0] = () -> {
                Duration left = Duration.between(clock.instant(), time);
                if (left.isNegative() || left.isZero()) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("A scheduled migration task failed", e);
                    }
                } else if (!executor.isShutdown()) {
                    current.set(executor.schedule(step[0], nanos(left), TimeUnit.NANOSECONDS));
                }
            };
            if (!executor.isShutdown()) {
                current.set(executor.schedule(step[0], nanos(Duration.between(clock.instant(), time)),
                        TimeUnit.NANOSECONDS));
            }
            return () -> {
                ScheduledFuture<?> f = current.get();
                if (f != null) {
                    f.cancel(false);
                }
            };
        }

        private static long nanos(Duration d) {
            if (d.isNegative()) {
                return 0;
            }
            try {
                return d.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE / 2;
            }
        }

        @Override
        public void shutdown() {
            executor.shutdownNow();
        }
    }
}
