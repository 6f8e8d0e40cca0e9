package io.mailferry.notification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemReportTimerTest {

    @Test
    void tasksRunInTimeOrderOnTheTimersThreadAndCancelledOnesDoNot() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        try (ReportTimer timer = ReportTimer.system(Clock.systemUTC())) {
            Instant now = timer.now();
            timer.schedule(now.plusMillis(300), () -> {
                ran.add("third:" + Thread.currentThread().getName());
                last.countDown();
            });
            ReportTimer.Scheduled cancelled = timer.schedule(now.plusMillis(200), () -> ran.add("cancelled"));
            timer.schedule(now.plusMillis(100), () -> ran.add("second"));
            timer.schedule(now.minusSeconds(60), () -> ran.add("first (in the past)"));
            cancelled.cancel();

            assertThat(last.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).containsExactly("first (in the past)", "second", "third:mailferry-report-timer");
    }

    @Test
    void theTimeIsTheClocks() {
        Instant fixed = Instant.parse("2024-05-01T00:00:00Z");
        try (ReportTimer timer = ReportTimer.system(Clock.fixed(fixed, ZoneOffset.UTC))) {
            assertThat(timer.now()).isEqualTo(fixed);
        }
    }
}
