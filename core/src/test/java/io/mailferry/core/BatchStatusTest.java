package io.mailferry.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.mailferry.core.BatchCommand.ADD_USERS;
import static io.mailferry.core.BatchCommand.COMPLETE;
import static io.mailferry.core.BatchCommand.REMOVE;
import static io.mailferry.core.BatchCommand.SET;
import static io.mailferry.core.BatchCommand.START;
import static io.mailferry.core.BatchCommand.STOP;
import static io.mailferry.core.BatchCommand.SYNC_NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two lifecycle tables of {@link BatchStatus}, checked against the table written out here. */
class BatchStatusTest {

    /** Which command each status accepts (DESIGN "Batch lifecycle", Exchange's cmdlets). */
    private static final Map<BatchStatus, Set<BatchCommand>> EXPECTED = new EnumMap<>(BatchStatus.class);

    static {
        EXPECTED.put(BatchStatus.CREATED, EnumSet.of(START, REMOVE, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.WAITING, EnumSet.of(STOP, REMOVE, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.STARTING, EnumSet.of(STOP));
        EXPECTED.put(BatchStatus.SYNCING, EnumSet.of(STOP, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.SYNCED, EnumSet.of(STOP, COMPLETE, REMOVE, SYNC_NOW, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.SYNCED_WITH_ERRORS, EnumSet.of(START, STOP, COMPLETE, REMOVE, SYNC_NOW, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.INCREMENTAL_SYNCING, EnumSet.of(STOP, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.STOPPING, EnumSet.noneOf(BatchCommand.class));
        EXPECTED.put(BatchStatus.STOPPED, EnumSet.of(START, REMOVE, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.COMPLETING, EnumSet.noneOf(BatchCommand.class));
        EXPECTED.put(BatchStatus.COMPLETED, EnumSet.of(REMOVE));
        EXPECTED.put(BatchStatus.COMPLETED_WITH_ERRORS, EnumSet.of(START, REMOVE));
        EXPECTED.put(BatchStatus.FAILED, EnumSet.of(START, REMOVE, SET));
        EXPECTED.put(BatchStatus.REMOVING, EnumSet.noneOf(BatchCommand.class));
        EXPECTED.put(BatchStatus.CORRUPTED, EnumSet.of(REMOVE));
    }

    @Test
    void theExpectedTableCoversEveryStatus() {
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(BatchStatus.values());
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void everyStatusAllowsExactlyTheCommandsOfTheTable(BatchStatus status) {
        for (BatchCommand command : BatchCommand.values()) {
            assertThat(status.allows(command)).as("%s allows %s", status, command)
                    .isEqualTo(EXPECTED.get(status).contains(command));
        }
        assertThat(status.allowedCommands()).isEqualTo(EXPECTED.get(status));
        assertThatThrownBy(() -> status.allowedCommands().add(START)).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void everyAllowedCommandHasItsTransitionInTheTransitionTable(BatchStatus status) {
        for (BatchCommand command : status.allowedCommands()) {
            Set<BatchStatus> next = switch (command) {
                case START -> EnumSet.of(BatchStatus.STARTING, BatchStatus.WAITING);
                case STOP -> EnumSet.of(BatchStatus.STOPPING);
                case COMPLETE -> EnumSet.of(BatchStatus.COMPLETING);
                case REMOVE -> EnumSet.of(BatchStatus.REMOVING);
                case SYNC_NOW -> EnumSet.of(BatchStatus.INCREMENTAL_SYNCING);
                case ADD_USERS, SET -> EnumSet.noneOf(BatchStatus.class);
            };
            if (!next.isEmpty()) {
                assertThat(next).as("%s --%s--> one of %s", status, command, next).anyMatch(status::canTransitionTo);
            }
        }
    }

    @Test
    void everyStatusButCorruptedIsReachableFromCreated() {
        Set<BatchStatus> reached = EnumSet.of(BatchStatus.CREATED);
        Deque<BatchStatus> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            BatchStatus s = todo.pop();
            for (BatchStatus next : BatchStatus.values()) {
                if (s.canTransitionTo(next) && reached.add(next)) {
                    todo.push(next);
                }
            }
        }

        assertThat(reached).containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(BatchStatus.CORRUPTED)));
    }

    @Test
    void noTransitionLeadsBackToCreatedOrIntoCorrupted() {
        for (BatchStatus from : BatchStatus.values()) {
            assertThat(from.canTransitionTo(BatchStatus.CORRUPTED)).as("%s -> Corrupted", from).isFalse();
            assertThat(from.canTransitionTo(BatchStatus.CREATED)).as("%s -> Created", from).isFalse();
        }
    }

    @Test
    void onlyRemovingIsADeadEndAndEveryOtherStatusCanMoveOn() {
        for (BatchStatus s : BatchStatus.values()) {
            boolean hasExit = EnumSet.allOf(BatchStatus.class).stream().anyMatch(s::canTransitionTo);
            assertThat(hasExit).as("%s has a next status", s).isEqualTo(s != BatchStatus.REMOVING);
        }
    }

    @Test
    void everySettledStatusCanBeRemovedAndNoActiveStatusCanBeStarted() {
        for (BatchStatus s : BatchStatus.values()) {
            if (s.isSettled()) {
                assertThat(s.allows(REMOVE)).as("%s can be removed", s).isTrue();
            }
            if (s.isActive()) {
                assertThat(s.allows(START)).as("%s allows start", s).isFalse();
                assertThat(s.isSettled()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void parseAcceptsTheExchangeSpellingAndTheConstantNameInAnyCase(BatchStatus status) {
        assertThat(BatchStatus.parse(status.displayName())).isEqualTo(status);
        assertThat(BatchStatus.parse(status.displayName().toUpperCase(java.util.Locale.ROOT))).isEqualTo(status);
        assertThat(BatchStatus.parse(status.name().toLowerCase(java.util.Locale.ROOT))).isEqualTo(status);
        assertThat(status).hasToString(status.displayName());
    }

    @Test
    void parseRejectsUnknownNames() {
        assertThatThrownBy(() -> BatchStatus.parse("Sinking")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Sinking");
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void illegalCommandMessageNamesBatchStatusCommandAndAllowedCommands(BatchStatus status) {
        for (BatchCommand command : BatchCommand.values()) {
            if (status.allows(command)) {
                continue;
            }
            IllegalBatchCommandException e = new IllegalBatchCommandException("wave-1", status, command);

            assertThat(e.getMessage()).contains("'wave-1'").contains(status.displayName())
                    .contains(command.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            for (BatchCommand allowed : status.allowedCommands()) {
                assertThat(e.getMessage()).contains(allowed.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            if (status.allowedCommands().isEmpty()) {
                assertThat(e.getMessage()).contains("none");
            }
            assertThat(e.batchName()).isEqualTo("wave-1");
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.command()).isEqualTo(command);
            assertThat(e.allowedCommands()).isEqualTo(status.allowedCommands());
        }
    }

    @Test
    void illegalCommandMessageReadsWell() {
        assertThat(new IllegalBatchCommandException("wave-1", BatchStatus.CREATED, COMPLETE))
                .hasMessage("Batch 'wave-1' is Created and cannot complete; commands allowed in this status: "
                        + "start, remove, add-users, set");
    }

    @Test
    void userStatusesParseAndSummarise() {
        for (MigrationUserStatus s : MigrationUserStatus.values()) {
            assertThat(MigrationUserStatus.parse(s.displayName())).isEqualTo(s);
            assertThat(MigrationUserStatus.parse(s.name())).isEqualTo(s);
            assertThat(s.isFailed()).isEqualTo(s.summary() == MigrationUserStatus.Summary.FAILED);
        }
        assertThat(MigrationUserStatus.FAILED.isFailed()).isTrue();
        assertThat(MigrationUserStatus.INCREMENTAL_FAILED.isFailed()).isTrue();
        assertThatThrownBy(() -> MigrationUserStatus.parse("Lost")).isInstanceOf(IllegalArgumentException.class);
    }
}
