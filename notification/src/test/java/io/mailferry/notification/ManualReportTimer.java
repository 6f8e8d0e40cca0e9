package io.mailferry.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link ReportTimer} whose clock moves only when a test says so: {@link #advance} runs every task
 * that comes due on the way, in time order, on the test's thread. {@link #clock()} is the same clock
 * for the {@link io.mailferry.core.MigrationService}.
 */
final class ManualReportTimer implements ReportTimer {

    private record Task(Instant at, long seq, Runnable run) {
    }

    private Instant now;
    private long seq;
    private final List<Task> tasks = new ArrayList<>();

    ManualReportTimer(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    /** A clock reading this timer's time. */
    Clock clock() {
        ManualReportTimer timer = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return timer.now();
            }
        };
    }

    @Override
    public synchronized Scheduled schedule(Instant at, Runnable task) {
        Task t = new Task(at, seq++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualReportTimer.this) {
                tasks.remove(t);
            }
        };
    }

    /** Returns how many tasks are scheduled. */
    synchronized int scheduled() {
        return tasks.size();
    }

    /** Moves the clock forward, running the tasks that come due, earliest first. */
    void advance(Duration by) {
        Instant target;
        synchronized (this) {
            target = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.at().isAfter(target))
                        .min(Comparator.comparing(Task::at).thenComparingLong(Task::seq)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                if (next.at().isAfter(now)) {
                    now = next.at();
                }
            }
            next.run().run();
        }
    }
}
