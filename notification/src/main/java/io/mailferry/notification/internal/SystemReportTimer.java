package io.mailferry.notification.internal;

import io.mailferry.notification.ReportTimer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ReportTimer} on a {@link ScheduledThreadPoolExecutor} with one daemon thread. The delay
 * is computed from the clock when the task is scheduled.
 */
public final class SystemReportTimer implements ReportTimer {

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    /**
     * @param clock the clock
     */
    public SystemReportTimer(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mailferry-report-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Scheduled schedule(Instant at, Runnable task) {
        long delay;
        try {
            delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        } catch (ArithmeticException e) {
            delay = Long.MAX_VALUE / 2; // practically never
        }
        ScheduledFuture<?> future = executor.schedule(task, delay, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
