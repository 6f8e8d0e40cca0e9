package io.mailferry.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The status of a migration batch ({@code MigrationBatchStatus} of the Exchange migration service).
 *
 * <p>Three tables drive the lifecycle, all data rather than code: which {@link BatchCommand
 * commands} a status accepts ({@link #allowedCommands()}), which per-user {@link UserCommand
 * commands} the batch accepts in it ({@link #allowedUserCommands()}), and which status may follow
 * which ({@link #canTransitionTo(BatchStatus)}). Only the engine changes a batch's status, always
 * through these tables, and every change is persisted and published as a
 * {@link MigrationEvent.BatchStatusChanged} event.
 *
 * <pre>
 * Created ─start→ Starting → Syncing → Synced | SyncedWithErrors | Failed
 * Created ─start (StartAfter to come)→ Waiting ─StartAfter reached→ Starting
 * Synced ─syncNow / every incremental interval→ IncrementalSyncing → Synced | SyncedWithErrors
 * Synced ─complete / CompleteAfter reached→ Completing → Completed | CompletedWithErrors
 * Syncing ─initial sync done, AllowIncrementalSyncs off→ Stopped
 * (running) ─stop→ Stopping → Stopped ─start→ Starting
 * (not running) ─remove→ Removing → (gone)
 * </pre>
 *
 * <p>Each constant's documentation says what the status means and which batch commands it
 * accepts; {@code BatchStatusTest} checks the tables against a copy written out by hand.
 */
public enum BatchStatus {
    /**
     * Created and not started (no AutoStart). Commands: start, remove, add-users, set.
     */
    CREATED("Created"),
    /**
     * Started, but its StartAfter time has not come: no data moves until the service's clock
     * passes it, then the batch starts by itself. (Exchange lists this status without documenting
     * it; MailFerry gives it this meaning.) Commands: stop, remove, add-users, set.
     */
    WAITING("Waiting"),
    /**
     * Set straight after a start command, before users are scheduled; the engine moves on at once.
     * Commands: stop.
     */
    STARTING("Starting"),
    /**
     * Users are in initial sync, or queued for it (waiting for a connection slot, for their own
     * StartAfter, or for credentials). Commands: stop, add-users, set.
     */
    SYNCING("Syncing"),
    /**
     * Initial sync finished for every user; incremental passes run every incremental interval.
     * Commands: stop, complete, remove, sync-now, add-users, set.
     */
    SYNCED("Synced"),
    /**
     * Initial sync finished but some users failed; the others keep getting incremental passes.
     * Commands: start (retries the failed users), stop, complete, remove, sync-now, add-users, set.
     */
    SYNCED_WITH_ERRORS("SyncedWithErrors"),
    /**
     * An incremental pass is running (scheduled, or asked for with sync-now). Commands: stop,
     * add-users, set.
     */
    INCREMENTAL_SYNCING("IncrementalSyncing"),
    /**
     * Set straight after a stop command, while active copies wind down (they stop between two
     * chunks of messages, keeping their progress). Commands: none.
     */
    STOPPING("Stopping"),
    /**
     * Stopped by an administrator, or after initial sync because AllowIncrementalSyncs is off.
     * Commands: start (resumes), remove, add-users, set.
     */
    STOPPED("Stopped"),
    /**
     * The final incremental pass and finalization are running. Commands: none.
     */
    COMPLETING("Completing"),
    /**
     * Finished: every user is completed. Commands: remove.
     */
    COMPLETED("Completed"),
    /**
     * Finished, but some users failed (initial sync or finalization). Commands: start (retries
     * the failed users and completes them), remove.
     */
    COMPLETED_WITH_ERRORS("CompletedWithErrors"),
    /**
     * The batch failed: no user could be synced. Commands: start (retries the failed users),
     * remove, add-users, set.
     */
    FAILED("Failed"),
    /**
     * Set straight after a remove command; the batch then disappears from the service and its
     * store. Commands: none.
     */
    REMOVING("Removing"),
    /**
     * The batch's stored state cannot be read (e.g. written by a newer MailFerry, or damaged); it
     * can only be removed. Commands: remove.
     */
    CORRUPTED("Corrupted");

    private final String displayName;

    BatchStatus(String displayName) {
        this.displayName = displayName;
    }

    /** Returns the Exchange spelling of the status, e.g. {@code SyncedWithErrors}. */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the commands this status accepts; any other command is rejected with an
     * {@link IllegalBatchCommandException}.
     *
     * @return an unmodifiable set, possibly empty
     */
    public Set<BatchCommand> allowedCommands() {
        return Tables.COMMANDS.get(this);
    }

    /**
     * Tells whether this status accepts a command.
     *
     * @param command the command, not {@code null}
     * @return {@code true} if allowed
     */
    public boolean allows(BatchCommand command) {
        return allowedCommands().contains(command);
    }

    /**
     * Returns the per-user commands a batch accepts in this status. A user command also needs the
     * user's own status to allow it ({@link MigrationUserStatus#allowedCommands()}).
     *
     * @return an unmodifiable set, possibly empty
     */
    public Set<UserCommand> allowedUserCommands() {
        return Tables.USER_COMMANDS.get(this);
    }

    /**
     * Tells whether the engine may move a batch from this status to {@code next}.
     *
     * @param next the next status, not {@code null}
     * @return {@code true} if the transition is in the table
     */
    public boolean canTransitionTo(BatchStatus next) {
        return Tables.TRANSITIONS.get(this).contains(next);
    }

    /**
     * Returns the statuses the engine may move a batch to from this one.
     *
     * @return an unmodifiable set, possibly empty
     */
    public Set<BatchStatus> nextStatuses() {
        return Tables.TRANSITIONS.get(this);
    }

    /**
     * Returns {@code true} while the engine is working on the batch (copies may be running). An
     * endpoint used by an active batch cannot be changed or removed.
     */
    public boolean isActive() {
        return switch (this) {
            case STARTING, SYNCING, INCREMENTAL_SYNCING, STOPPING, COMPLETING, REMOVING -> true;
            default -> false;
        };
    }

    /**
     * Returns {@code true} when the batch has come to rest: nothing runs until a command or the
     * schedule (incremental interval, StartAfter, CompleteAfter) moves it. Useful with
     * {@link MigrationBatch#awaitStatus}.
     */
    public boolean isSettled() {
        return switch (this) {
            case SYNCED, SYNCED_WITH_ERRORS, STOPPED, COMPLETED, COMPLETED_WITH_ERRORS, FAILED, CORRUPTED -> true;
            default -> false;
        };
    }

    /**
     * Parses the Exchange spelling ({@code SyncedWithErrors}) or the constant name
     * ({@code SYNCED_WITH_ERRORS}), ignoring case.
     *
     * @param text the status text, not {@code null}
     * @return the status
     * @throws IllegalArgumentException if no status has that name
     */
    public static BatchStatus parse(String text) {
        for (BatchStatus s : values()) {
            if (s.displayName.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown batch status '" + text + "'");
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** The tables, built once (an enum cannot refer to its constants in its own initialisers). */
    private static final class Tables {
        static final Map<BatchStatus, Set<BatchCommand>> COMMANDS = new EnumMap<>(BatchStatus.class);
        static final Map<BatchStatus, Set<UserCommand>> USER_COMMANDS = new EnumMap<>(BatchStatus.class);
        static final Map<BatchStatus, Set<BatchStatus>> TRANSITIONS = new EnumMap<>(BatchStatus.class);

        static {
            commands(CREATED, BatchCommand.START, BatchCommand.REMOVE, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(WAITING, BatchCommand.STOP, BatchCommand.REMOVE, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(STARTING, BatchCommand.STOP);
            commands(SYNCING, BatchCommand.STOP, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(SYNCED, BatchCommand.STOP, BatchCommand.COMPLETE, BatchCommand.REMOVE, BatchCommand.SYNC_NOW,
                    BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(SYNCED_WITH_ERRORS, BatchCommand.START, BatchCommand.STOP, BatchCommand.COMPLETE,
                    BatchCommand.REMOVE, BatchCommand.SYNC_NOW, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(INCREMENTAL_SYNCING, BatchCommand.STOP, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(STOPPING);
            commands(STOPPED, BatchCommand.START, BatchCommand.REMOVE, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(COMPLETING);
            commands(COMPLETED, BatchCommand.REMOVE);
            commands(COMPLETED_WITH_ERRORS, BatchCommand.START, BatchCommand.REMOVE);
            commands(FAILED, BatchCommand.START, BatchCommand.REMOVE, BatchCommand.ADD_USERS, BatchCommand.SET);
            commands(REMOVING);
            commands(CORRUPTED, BatchCommand.REMOVE);

            UserCommand[] all = UserCommand.values();
            userCommands(CREATED, UserCommand.REMOVE, UserCommand.SET);
            userCommands(WAITING, UserCommand.REMOVE, UserCommand.SET);
            userCommands(STARTING);
            userCommands(SYNCING, all);
            userCommands(SYNCED, all);
            userCommands(SYNCED_WITH_ERRORS, all);
            userCommands(INCREMENTAL_SYNCING, all);
            userCommands(STOPPING);
            userCommands(STOPPED, UserCommand.START, UserCommand.REMOVE, UserCommand.SET);
            userCommands(COMPLETING);
            userCommands(COMPLETED, UserCommand.REMOVE);
            userCommands(COMPLETED_WITH_ERRORS, UserCommand.START, UserCommand.REMOVE);
            userCommands(FAILED, UserCommand.START, UserCommand.REMOVE, UserCommand.SET);
            userCommands(REMOVING);
            userCommands(CORRUPTED);

            transitions(CREATED, WAITING, STARTING, REMOVING);
            transitions(WAITING, STARTING, STOPPING, REMOVING);
            transitions(STARTING, SYNCING, INCREMENTAL_SYNCING, COMPLETING, STOPPING);
            transitions(SYNCING, SYNCED, SYNCED_WITH_ERRORS, FAILED, STOPPING, STOPPED, COMPLETING);
            transitions(SYNCED, INCREMENTAL_SYNCING, SYNCING, COMPLETING, STOPPING, REMOVING);
            transitions(SYNCED_WITH_ERRORS, STARTING, INCREMENTAL_SYNCING, SYNCING, COMPLETING, STOPPING, REMOVING);
            transitions(INCREMENTAL_SYNCING, SYNCED, SYNCED_WITH_ERRORS, FAILED, SYNCING, STOPPING, COMPLETING);
            transitions(STOPPING, STOPPED);
            transitions(STOPPED, STARTING, WAITING, REMOVING);
            transitions(COMPLETING, COMPLETED, COMPLETED_WITH_ERRORS);
            transitions(COMPLETED, REMOVING);
            transitions(COMPLETED_WITH_ERRORS, STARTING, REMOVING);
            transitions(FAILED, STARTING, WAITING, REMOVING);
            transitions(REMOVING);
            transitions(CORRUPTED, REMOVING);
        }

        private static void commands(BatchStatus status, BatchCommand... allowed) {
            EnumSet<BatchCommand> set = EnumSet.noneOf(BatchCommand.class);
            Collections.addAll(set, allowed);
            COMMANDS.put(status, Collections.unmodifiableSet(set));
        }

        private static void userCommands(BatchStatus status, UserCommand... allowed) {
            EnumSet<UserCommand> set = EnumSet.noneOf(UserCommand.class);
            Collections.addAll(set, allowed);
            USER_COMMANDS.put(status, Collections.unmodifiableSet(set));
        }

        private static void transitions(BatchStatus status, BatchStatus... next) {
            EnumSet<BatchStatus> set = EnumSet.noneOf(BatchStatus.class);
            Collections.addAll(set, next);
            TRANSITIONS.put(status, Collections.unmodifiableSet(set));
        }
    }
}
