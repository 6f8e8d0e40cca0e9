package io.mailferry.csv;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.SyncStage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncTimesRecorderTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final SyncTimesRecorder recorder = new SyncTimesRecorder();

    private static MigrationUser user(String email, MigrationUserStatus status) {
        return new MigrationUser("wave-1", email, email, status, SyncStage.IDLE, MigrationUserStatistics.EMPTY, null, T0);
    }

    private void status(String email, long second, MigrationUserStatus previous, MigrationUserStatus current) {
        recorder.onUserStatusChanged(new MigrationEvent.UserStatusChanged("wave-1", T0.plusSeconds(second),
                user(email, current), previous));
    }

    @Test
    void aPassLastsFromItsActiveStatusToTheNextRestingOne() {
        status("a@x.y", 0, MigrationUserStatus.QUEUED, MigrationUserStatus.SYNCING);
        status("a@x.y", 90, MigrationUserStatus.SYNCING, MigrationUserStatus.SYNCED);
        status("a@x.y", 1000, MigrationUserStatus.SYNCED, MigrationUserStatus.INCREMENTAL_SYNCING);
        status("a@x.y", 1010, MigrationUserStatus.INCREMENTAL_SYNCING, MigrationUserStatus.SYNCED);
        status("b@x.y", 0, MigrationUserStatus.QUEUED, MigrationUserStatus.SYNCING);
        status("b@x.y", 5, MigrationUserStatus.SYNCING, MigrationUserStatus.FAILED);
        status("c@x.y", 0, MigrationUserStatus.QUEUED, MigrationUserStatus.SYNCING);

        assertThat(recorder.times("wave-1", "A@X.Y")).isEqualTo(new UserSyncTimes(2, Duration.ofSeconds(10),
                Duration.ofSeconds(100)));
        assertThat(recorder.times("wave-1", "b@x.y")).isEqualTo(new UserSyncTimes(1, Duration.ofSeconds(5),
                Duration.ofSeconds(5)));
        assertThat(recorder.times("wave-1", "c@x.y")).as("still running").isEqualTo(UserSyncTimes.NONE);
        assertThat(recorder.times("other", "a@x.y")).isEqualTo(UserSyncTimes.NONE);

        byte[] csv = MigrationReportsTest.write(out -> MigrationReports.writeStatistics(
                List.of(user("a@x.y", MigrationUserStatus.SYNCED), user("c@x.y", MigrationUserStatus.SYNCING)),
                recorder.forBatch("wave-1"), out));
        List<List<String>> rows = MigrationReportsTest.parse(csv);
        assertThat(rows.get(0)).endsWith("LastSyncDurationSeconds", "TotalSyncDurationSeconds", "SyncPasses");
        assertThat(rows.get(1)).endsWith("10", "100", "2");
        assertThat(rows.get(2)).endsWith("", "0", "0");

        recorder.onBatchStatusChanged(new MigrationEvent.BatchStatusChanged("wave-1", T0, BatchStatus.SYNCED,
                BatchStatus.REMOVING));
        assertThat(recorder.times("wave-1", "a@x.y")).isEqualTo(UserSyncTimes.NONE);
    }

    @Test
    void withoutTimesTheDurationCellsAreEmpty() {
        byte[] csv = MigrationReportsTest.write(out -> MigrationReports.writeStatistics(
                List.of(user("a@x.y", MigrationUserStatus.SYNCED)), out));
        assertThat(MigrationReportsTest.parse(csv).get(1)).endsWith("wave-1", "", "", "");
    }

    @Test
    void timesAreConsistent() {
        assertThatThrownBy(() -> new UserSyncTimes(1, null, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserSyncTimes(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserSyncTimes(0, null, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(UserSyncTimes.NONE.plus(Duration.ofMinutes(1)).plus(Duration.ofMinutes(2)))
                .isEqualTo(new UserSyncTimes(2, Duration.ofMinutes(2), Duration.ofMinutes(3)));
    }
}
