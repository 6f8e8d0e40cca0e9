package io.mailferry.core.engine;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Listeners never block publishing; a lagging listener loses progress events, never status events. */
class EventDispatcherTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void aBlockedListenerNeitherBlocksPublishingNorLosesStatusEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<MigrationEvent> seen = new CopyOnWriteArrayList<>();
        MigrationListener slow = new MigrationListener() {
            @Override
            public void onEvent(MigrationEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(event);
            }
        };
        MigrationUser user = new MigrationUser("b", "a@example.com", "a", MigrationUserStatus.SYNCING, SyncStage.IDLE,
                MigrationUserStatistics.EMPTY, null, T0);
        EventDispatcher d = new EventDispatcher(List.of(slow));
        int progress = EventDispatcher.PROGRESS_BACKLOG * 2;
        long start = System.nanoTime();
        for (int i = 0; i < progress; i++) {
            d.publish(new MigrationEvent.UserProgress("b", T0, user));
            if (i % 1000 == 0) {
                d.publish(new MigrationEvent.BatchStatusChanged("b", T0, BatchStatus.SYNCING, BatchStatus.SYNCING));
            }
        }
        long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(d.dropped()).isPositive();
        release.countDown();
        d.close();

        assertThat(seen.stream().filter(e -> e instanceof MigrationEvent.BatchStatusChanged)).hasSize(progress / 1000);
        assertThat(seen.size() + d.dropped()).isEqualTo(progress + progress / 1000);
        assertThat(publishMillis).as("publishing never waited for the listener").isLessThan(10_000);
    }

    @Test
    void aThrowingListenerIsLoggedAndTheNextOneStillReceivesEveryEvent() {
        List<MigrationEvent> seen = new CopyOnWriteArrayList<>();
        MigrationListener throwing = new MigrationListener() {
            @Override
            public void onBatchRemoved(MigrationEvent.BatchRemoved event) {
                throw new IllegalStateException("listener bug");
            }
        };
        MigrationListener recording = new MigrationListener() {
            @Override
            public void onBatchRemoved(MigrationEvent.BatchRemoved event) {
                seen.add(event);
            }

            @Override
            public void onUserRemoved(MigrationEvent.UserRemoved event) {
                seen.add(event);
            }
        };
        EventDispatcher d = new EventDispatcher(List.of(throwing, recording));
        d.publish(new MigrationEvent.BatchRemoved("b", T0));
        d.publish(new MigrationEvent.UserRemoved("b", T0, "a@example.com"));
        d.close();
        assertThat(seen).hasSize(2);
    }
}
