package io.mailferry.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The status of a migration batch ({@code MigrationBatchStatus} of the Exchange migration service).
 *
 * <p>Two tables drive the lifecycle, both data rather than code: which {@link BatchCommand commands}
 * a status accepts ({@link #allowedCommands()}) and which status may follow which
 * ({@link #canTransitionTo(BatchStatus)}). Only the engine changes a batch's status, always through
 * these tables, and every change is persisted and published as an event.
 *
 * <pre>
 * Created ─start→ Starting → Syncing → Synced | SyncedWithErrors | Failed
 * Synced ─syncNow / every incremental interval→ IncrementalSyncing → Synced | SyncedWithErrors
 * Synced ─complete→ Completing → Completed | CompletedWithErrors
 * (running) ─stop→ Stopping → Stopped ─start→ Starting
 * (not running) ─remove→ Removing → (gone)
 * </pre>
 */
public enum BatchStatus {
    /** Created and not started (no AutoStart). */
    CREATED("Created"),
    /** Started, but its StartAfter time has not come yet: no data moves. */
    WAITING("Waiting"),
    /** Set straight after a start command, before users are scheduled. */
    STARTING("Starting"),
    /** Users are in initial sync, or queued for it. */
    SYNCING("Syncing"),
    /** Initial sync finished for every user; incremental syncs keep running. */
    SYNCED("Synced"),
    /** Initial sync finished but some users failed; the others keep getting incremental syncs. */
    SYNCED_WITH_ERRORS("SyncedWithErrors"),
    /** An incremental pass is running. */
    INCREMENTAL_SYNCING("IncrementalSyncing"),
    /** Set straight after a stop command, while active copies wind down. */
    STOPPING("Stopping"),
    /** Stopped by an administrator; can be started, changed or removed. */
    STOPPED("Stopped"),
    /** The final incremental pass and finalization are running. */
    COMPLETING("Completing"),
    /** Finished. */
    COMPLETED("Completed"),
    /** Finished, but some users failed finalization. */
    COMPLETED_WITH_ERRORS("CompletedWithErrors"),
    /** The batch failed: no user could be synced. */
    FAILED("Failed"),
    /** Set straight after a remove command; the batch then disappears. */
    REMOVING("Removing"),
    /** The batch's stored state cannot be read; it can only be removed. */
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
     * Tells whether the engine may move a batch from this status to {@code next}.
     *
     * @param next the next status, not {@code null}
     * @return {@code true} if the transition is in the table
     */
    public boolean canTransitionTo(BatchStatus next) {
        return Tables.TRANSITIONS.get(this).contains(next);
    }

    /** Returns {@code true} while the engine is working on the batch (copies may be running). */
    public boolean isActive() {
        return switch (this) {
            case STARTING, SYNCING, INCREMENTAL_SYNCING, STOPPING, COMPLETING, REMOVING -> true;
            default -> false;
        };
    }

    /**
     * Returns {@code true} when the batch has come to rest: nothing runs until a command or the
     * incremental schedule moves it. Useful with {@link MigrationBatch#awaitStatus}.
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

    /** The two tables, built once (an enum cannot refer to its constants in its own initialisers). */
    private static final class Tables {
        static final Map<BatchStatus, Set<BatchCommand>> COMMANDS = new EnumMap<>(BatchStatus.class);
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
            commands(FAILED, BatchCommand.START, BatchCommand.REMOVE, BatchCommand.SET);
            commands(REMOVING);
            commands(CORRUPTED, BatchCommand.REMOVE);

            transitions(CREATED, WAITING, STARTING, REMOVING);
            transitions(WAITING, STARTING, STOPPING, REMOVING);
            transitions(STARTING, SYNCING, INCREMENTAL_SYNCING, STOPPING, FAILED);
            transitions(SYNCING, SYNCED, SYNCED_WITH_ERRORS, STOPPING, FAILED);
            transitions(SYNCED, INCREMENTAL_SYNCING, SYNCING, COMPLETING, STOPPING, REMOVING);
            transitions(SYNCED_WITH_ERRORS, STARTING, INCREMENTAL_SYNCING, SYNCING, COMPLETING, STOPPING, REMOVING);
            transitions(INCREMENTAL_SYNCING, SYNCED, SYNCED_WITH_ERRORS, SYNCING, STOPPING, FAILED);
            transitions(STOPPING, STOPPED);
            transitions(STOPPED, STARTING, REMOVING);
            transitions(COMPLETING, COMPLETED, COMPLETED_WITH_ERRORS, FAILED);
            transitions(COMPLETED, REMOVING);
            transitions(COMPLETED_WITH_ERRORS, STARTING, REMOVING);
            transitions(FAILED, STARTING, REMOVING);
            transitions(REMOVING);
            transitions(CORRUPTED, REMOVING);
        }

        private static void commands(BatchStatus status, BatchCommand... allowed) {
            EnumSet<BatchCommand> set = EnumSet.noneOf(BatchCommand.class);
            Collections.addAll(set, allowed);
            COMMANDS.put(status, Collections.unmodifiableSet(set));
        }

        private static void transitions(BatchStatus status, BatchStatus... next) {
            EnumSet<BatchStatus> set = EnumSet.noneOf(BatchStatus.class);
            Collections.addAll(set, next);
            TRANSITIONS.put(status, Collections.unmodifiableSet(set));
        }
    }
}
