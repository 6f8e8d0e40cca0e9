package io.mailferry.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A clock and a {@link MigrationScheduler} whose time moves only when told to: for tests and
 * harnesses that drive StartAfter, CompleteAfter and the incremental interval without waiting.
 *
 * <pre>{@code
 * ManualScheduler time = new ManualScheduler(Instant.parse("2024-01-01T00:00:00Z"));
 * MigrationService service = MigrationService.builder().clock(time.clock()).scheduler(time).build();
 * ...
 * time.advance(Duration.ofHours(24)); // runs the incremental pass that was due
 * }</pre>
 *
 * <p>{@link #advance(Duration)} runs every task that falls due, on the calling thread, in time
 * order, with the clock set to each task's time while it runs; then it sets the clock to the
 * target. Tasks only hand work to the engine, so the work itself (a pass) runs on the engine's
 * threads afterwards: await its effect, e.g. with {@link MigrationBatch#awaitStatus}.
 *
 * <p>Thread-safe.
 */
public final class ManualScheduler implements MigrationScheduler {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private Instant now;
    private long sequence;
    private final Clock clock = new ManualClock(ZoneOffset.UTC);

    /**
     * @param start the clock's first instant, not {@code null}
     */
    public ManualScheduler(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Returns the clock this scheduler moves (UTC). */
    public Clock clock() {
        return clock;
    }

    /** Returns the current time. */
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Instant time, Runnable task) {
        Task t = new Task(Objects.requireNonNull(time, "time"), sequence++, Objects.requireNonNull(task, "task"));
        tasks.add(t);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(t);
            }
        };
    }

    /**
     * Moves the clock forward, running the tasks that fall due.
     *
     * @param amount how far, not negative
     * @return the number of tasks run
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    public int advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        return advanceTo(now().plus(amount));
    }

    /**
     * Moves the clock to a time, running the tasks that fall due (tasks those tasks schedule up to
     * that time included).
     *
     * @param target the new time; an earlier time than now only runs the tasks already due
     * @return the number of tasks run
     */
    public int advanceTo(Instant target) {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.time.isAfter(target)) {
                    if (target.isAfter(now)) {
                        now = target;
                    }
                    return ran;
                }
                tasks.poll();
                if (next.time.isAfter(now)) {
                    now = next.time;
                }
            }
            next.task.run();
            ran++;
        }
    }

    /**
     * Runs the tasks already due without moving the clock.
     *
     * @return the number of tasks run
     */
    public int runDueTasks() {
        return advanceTo(now());
    }

    /** Returns the times of the tasks waiting to run, earliest first. */
    public synchronized List<Instant> pendingTaskTimes() {
        List<Task> copy = new ArrayList<>(tasks);
        copy.sort(null);
        return copy.stream().map(t -> t.time).toList();
    }

    private record Task(Instant time, long seq, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = time.compareTo(o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final class ManualClock extends Clock {
        private final ZoneId zone;

        ManualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new ManualClock(newZone);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
