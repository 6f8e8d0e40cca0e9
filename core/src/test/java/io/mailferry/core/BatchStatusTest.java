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
        EXPECTED.put(BatchStatus.FAILED, EnumSet.of(START, REMOVE, ADD_USERS, SET));
        EXPECTED.put(BatchStatus.REMOVING, EnumSet.noneOf(BatchCommand.class));
        EXPECTED.put(BatchStatus.CORRUPTED, EnumSet.of(REMOVE));
    }

    /** Which user command a batch accepts in each status. */
    private static final Map<BatchStatus, Set<UserCommand>> EXPECTED_USER = new EnumMap<>(BatchStatus.class);
    /** Which user command each user status accepts. */
    private static final Map<MigrationUserStatus, Set<UserCommand>> EXPECTED_BY_USER = new EnumMap<>(MigrationUserStatus.class);

    static {
        Set<UserCommand> all = EnumSet.allOf(UserCommand.class);
        Set<UserCommand> none = EnumSet.noneOf(UserCommand.class);
        EXPECTED_USER.put(BatchStatus.CREATED, EnumSet.of(UserCommand.REMOVE, UserCommand.SET));
        EXPECTED_USER.put(BatchStatus.WAITING, EnumSet.of(UserCommand.REMOVE, UserCommand.SET));
        EXPECTED_USER.put(BatchStatus.STARTING, none);
        EXPECTED_USER.put(BatchStatus.SYNCING, all);
        EXPECTED_USER.put(BatchStatus.SYNCED, all);
        EXPECTED_USER.put(BatchStatus.SYNCED_WITH_ERRORS, all);
        EXPECTED_USER.put(BatchStatus.INCREMENTAL_SYNCING, all);
        EXPECTED_USER.put(BatchStatus.STOPPING, none);
        EXPECTED_USER.put(BatchStatus.STOPPED, EnumSet.of(UserCommand.START, UserCommand.REMOVE, UserCommand.SET));
        EXPECTED_USER.put(BatchStatus.COMPLETING, none);
        EXPECTED_USER.put(BatchStatus.COMPLETED, EnumSet.of(UserCommand.REMOVE));
        EXPECTED_USER.put(BatchStatus.COMPLETED_WITH_ERRORS, EnumSet.of(UserCommand.START, UserCommand.REMOVE));
        EXPECTED_USER.put(BatchStatus.FAILED, EnumSet.of(UserCommand.START, UserCommand.REMOVE, UserCommand.SET));
        EXPECTED_USER.put(BatchStatus.REMOVING, none);
        EXPECTED_USER.put(BatchStatus.CORRUPTED, none);

        UserCommand start = UserCommand.START;
        UserCommand stop = UserCommand.STOP;
        UserCommand syncNow = UserCommand.SYNC_NOW;
        UserCommand remove = UserCommand.REMOVE;
        UserCommand set = UserCommand.SET;
        EXPECTED_BY_USER.put(MigrationUserStatus.QUEUED, EnumSet.of(stop, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.STARTING, EnumSet.of(stop, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.SYNCING, EnumSet.of(stop, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.SYNCED, EnumSet.of(stop, syncNow, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.INCREMENTAL_SYNCING, EnumSet.of(stop, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.INCREMENTAL_SYNCED, EnumSet.of(stop, syncNow, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.INCREMENTAL_FAILED, EnumSet.of(start, syncNow, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.INCREMENTAL_STOPPED, EnumSet.of(start, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.STOPPING, EnumSet.of(set));
        EXPECTED_BY_USER.put(MigrationUserStatus.STOPPED, EnumSet.of(start, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.COMPLETING, none);
        EXPECTED_BY_USER.put(MigrationUserStatus.COMPLETION_SYNCED, none);
        EXPECTED_BY_USER.put(MigrationUserStatus.COMPLETED, EnumSet.of(remove));
        EXPECTED_BY_USER.put(MigrationUserStatus.COMPLETED_WITH_WARNINGS, EnumSet.of(remove));
        EXPECTED_BY_USER.put(MigrationUserStatus.COMPLETION_FAILED, EnumSet.of(start, remove));
        EXPECTED_BY_USER.put(MigrationUserStatus.FAILED, EnumSet.of(start, remove, set));
        EXPECTED_BY_USER.put(MigrationUserStatus.REMOVING, none);
    }

    @ParameterizedTest
    @EnumSource(BatchStatus.class)
    void everyBatchStatusAllowsExactlyTheUserCommandsOfTheTable(BatchStatus status) {
        assertThat(status.allowedUserCommands()).isEqualTo(EXPECTED_USER.get(status));
    }

    @ParameterizedTest
    @EnumSource(MigrationUserStatus.class)
    void everyUserStatusAllowsExactlyTheUserCommandsOfTheTable(MigrationUserStatus status) {
        assertThat(EXPECTED_BY_USER).containsKey(status);
        for (UserCommand command : UserCommand.values()) {
            assertThat(status.allows(command)).as("%s allows %s", status, command)
                    .isEqualTo(EXPECTED_BY_USER.get(status).contains(command));
        }
        assertThat(status.allowedCommands()).isEqualTo(EXPECTED_BY_USER.get(status));
        assertThatThrownBy(() -> status.allowedCommands().add(UserCommand.START))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void runningUsersCannotBeRemovedAndFailedOnesCanBeStarted() {
        for (MigrationUserStatus s : MigrationUserStatus.values()) {
            if (s.isRunning()) {
                assertThat(s.allows(UserCommand.REMOVE)).as("%s can be removed", s).isFalse();
                assertThat(s.allows(UserCommand.START)).as("%s can be started", s).isFalse();
            }
            if (s.isFailed()) {
                assertThat(s.allows(UserCommand.START)).as("%s can be retried", s).isTrue();
            }
        }
    }

    @Test
    void illegalUserCommandMessageNamesUserBatchStatusesAndAllowedCommands() {
        IllegalUserCommandException byUser = new IllegalUserCommandException("wave-1", "terry@example.com",
                BatchStatus.SYNCED, MigrationUserStatus.FAILED, UserCommand.SYNC_NOW);
        assertThat(byUser).hasMessage("User terry@example.com cannot sync-now: the user is Failed (user Failed in batch"
                + " Synced); user commands allowed now: start, remove, set");
        assertThat(byUser.allowedCommands()).containsExactly(UserCommand.START, UserCommand.REMOVE, UserCommand.SET);

        IllegalUserCommandException byBatch = new IllegalUserCommandException("wave-1", "terry@example.com",
                BatchStatus.COMPLETING, MigrationUserStatus.COMPLETING, UserCommand.STOP);
        assertThat(byBatch.getMessage()).contains("batch 'wave-1' is Completing").endsWith("allowed now: none");
        assertThat(byBatch.batchStatus()).isEqualTo(BatchStatus.COMPLETING);
        assertThat(byBatch.userStatus()).isEqualTo(MigrationUserStatus.COMPLETING);
        assertThat(byBatch.command()).isEqualTo(UserCommand.STOP);
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
