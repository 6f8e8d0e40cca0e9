package io.mailferry.ews.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBudgetTest {

    @Test
    void aReservationWaitsUntilEnoughIsReleased() throws Exception {
        MemoryBudget budget = new MemoryBudget(100);
        budget.acquire(70);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean got = new AtomicBoolean();
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                budget.acquire(50);
                got.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(got).isFalse();
        assertThat(budget.used()).isEqualTo(70);

        budget.release(70);
        t.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(got).isTrue();
        assertThat(budget.used()).isEqualTo(50);
    }

    @Test
    void aReservationLargerThanTheBudgetNeverFits() {
        MemoryBudget budget = new MemoryBudget(100);

        assertThat(budget.fits(100)).isTrue();
        assertThat(budget.fits(101)).isFalse();
        assertThatThrownBy(() -> budget.acquire(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
