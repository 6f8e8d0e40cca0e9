package io.mailferry.notification;

import io.mailferry.notification.internal.SystemReportTimer;

import java.time.Clock;
import java.time.Instant;

/**
 * The clock and one-shot timer behind periodic reports ({@code ReportInterval}): a seam so that
 * tests, or a host with its own scheduler, decide when "24 hours later" is.
 *
 * <p>{@link #system(Clock)} runs tasks on a daemon thread at the clock's times. A test implementation
 * moves a manual clock forward and runs the tasks that have come due, so a test of daily reports
 * takes no time and never sleeps.
 *
 * <p>Implementations must be thread-safe. A task runs at most once, at or after its time, unless it
 * is cancelled first; tasks must not be run on the caller's thread inside {@link #schedule}.
 */
public interface ReportTimer extends AutoCloseable {

    /** Returns the current time of this timer's clock. */
    Instant now();

    /**
     * Runs a task once at a time of this timer's clock.
     *
     * @param at   when, by {@link #now()}; a time in the past runs the task as soon as possible
     * @param task what to run; it must not block for long
     * @return a handle to cancel the task
     */
    Scheduled schedule(Instant at, Runnable task);

    /** Stops running tasks and releases threads; scheduled tasks are dropped. The default does nothing. */
    @Override
    default void close() {
    }

    /** A scheduled task. */
    @FunctionalInterface
    interface Scheduled {
        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }

    /**
     * Returns a timer on a clock, with its own daemon thread (closed by {@link #close()}).
     *
     * @param clock the clock, e.g. the one given to the {@link io.mailferry.core.MigrationService}
     * @return the timer
     */
    static ReportTimer system(Clock clock) {
        return new SystemReportTimer(clock);
    }
}
