package io.mailferry.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test clock and scheduler, and the system scheduler's re-check of its clock. */
class ManualSchedulerTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void tasksRunInTimeOrderWithTheClockAtTheirTimeWhenTheTestAdvances() {
        ManualScheduler time = new ManualScheduler(T0);
        List<String> ran = new ArrayList<>();
        time.schedule(T0.plusSeconds(30), () -> ran.add("30 at " + time.clock().instant()));
        time.schedule(T0.plusSeconds(10), () -> ran.add("10 at " + time.clock().instant()));
        time.schedule(T0.plusSeconds(10), () -> {
            ran.add("10b");
            time.schedule(T0.plusSeconds(20), () -> ran.add("20, scheduled by a task"));
        });
        MigrationScheduler.Cancellable cancelled = time.schedule(T0.plusSeconds(15), () -> ran.add("cancelled"));
        cancelled.cancel();

        assertThat(time.advance(Duration.ofSeconds(25))).isEqualTo(3);
        assertThat(ran).containsExactly("10 at 2024-01-01T00:00:10Z", "10b", "20, scheduled by a task");
        assertThat(time.now()).isEqualTo(T0.plusSeconds(25));
        assertThat(time.pendingTaskTimes()).containsExactly(T0.plusSeconds(30));

        time.advance(Duration.ofSeconds(5));
        assertThat(ran).last().isEqualTo("30 at 2024-01-01T00:00:30Z");
        assertThat(time.runDueTasks()).isZero();
        assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTaskDueNowRunsOnTheNextAdvanceAndTheClockNeverGoesBack() {
        ManualScheduler time = new ManualScheduler(T0);
        List<Instant> ran = new ArrayList<>();
        time.schedule(T0.minusSeconds(60), () -> ran.add(time.now()));
        assertThat(time.runDueTasks()).isEqualTo(1);
        assertThat(ran).containsExactly(T0);
        time.advanceTo(T0.minusSeconds(3600));
        assertThat(time.now()).isEqualTo(T0);
        assertThat(time.clock().withZone(java.time.ZoneId.of("Europe/Berlin")).instant()).isEqualTo(T0);
    }

    @Test
    void theSystemSchedulerRunsATaskWhoseTimeHasComeOnItsThread() throws Exception {
        MigrationScheduler system = MigrationScheduler.system(java.time.Clock.systemUTC());
        try {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            system.schedule(Instant.now().minusSeconds(1), done::countDown);
            assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            system.schedule(Instant.now().plusSeconds(3600), never::countDown).cancel();
            assertThat(never.getCount()).isEqualTo(1);
        } finally {
            system.shutdown();
        }
    }
}
