package io.mailferry.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The status of one mailbox in a batch ({@code MigrationUserStatus} of the Exchange migration
 * service), with its {@link #summary() summary} and the per-user {@link UserCommand commands} it
 * accepts ({@link #allowedCommands()}, a table).
 *
 * <pre>
 * Queued → Syncing → Synced ─incremental pass→ IncrementalSyncing → Synced
 * (failures) Syncing → Failed; IncrementalSyncing → IncrementalFailed; Completing → CompletionFailed
 * stop: Syncing → Stopping → Stopped; IncrementalSyncing → Stopping → IncrementalStopped
 * start (a stopped or failed user): → Starting → Syncing | IncrementalSyncing | Completing
 * complete: Synced → Completing → CompletionSynced → Completed | CompletedWithWarnings
 * remove: → Removing → (gone)
 * </pre>
 *
 * <p>Exchange reports an IMAP user whose incremental pass succeeded as Synced (not
 * IncrementalSynced); MailFerry does the same, so {@link #INCREMENTAL_SYNCED} is only ever read
 * from a store written by another tool.
 */
public enum MigrationUserStatus {
    /**
     * Waiting for the batch to start, for a free slot on the endpoints, for its StartAfter time
     * or for credentials ({@link MigrationUser#statusDetail()} says which). Commands: stop,
     * remove, set.
     */
    QUEUED("Queued", Summary.ACTIVE),
    /**
     * Resumed by a start command after it was stopped or failed; waiting for a slot or about to
     * connect. Commands: stop, set.
     */
    STARTING("Starting", Summary.ACTIVE),
    /** Initial sync running. Commands: stop, set. */
    SYNCING("Syncing", Summary.ACTIVE),
    /**
     * Initial sync done, and for IMAP also "the last incremental pass succeeded"; waiting for the
     * next incremental pass or completion. Commands: stop, sync-now, remove, set.
     */
    SYNCED("Synced", Summary.SYNCED),
    /** An incremental pass is running. Commands: stop, set. */
    INCREMENTAL_SYNCING("IncrementalSyncing", Summary.ACTIVE),
    /** An incremental pass finished (not used for IMAP, see above). Commands: stop, sync-now, remove, set. */
    INCREMENTAL_SYNCED("IncrementalSynced", Summary.SYNCED),
    /**
     * An incremental pass failed; the mailbox keeps what was copied before and gets the next
     * scheduled pass. Commands: start, sync-now, remove, set.
     */
    INCREMENTAL_FAILED("IncrementalFailed", Summary.FAILED),
    /** Stopped after initial sync was done: no incremental passes. Commands: start, remove, set. */
    INCREMENTAL_STOPPED("IncrementalStopped", Summary.STOPPED),
    /** Stop requested; the active copy is winding down. Commands: set. */
    STOPPING("Stopping", Summary.ACTIVE),
    /** Stopped before initial sync was done; its progress is kept. Commands: start, remove, set. */
    STOPPED("Stopped", Summary.STOPPED),
    /** Final incremental pass running, or waiting for a slot. Commands: none. */
    COMPLETING("Completing", Summary.ACTIVE),
    /** Final incremental pass done, finalization running. Commands: none. */
    COMPLETION_SYNCED("CompletionSynced", Summary.SYNCED),
    /** Finished. Commands: remove. */
    COMPLETED("Completed", Summary.COMPLETED),
    /** Finished, with skipped items. Commands: remove. */
    COMPLETED_WITH_WARNINGS("CompletedWithWarnings", Summary.COMPLETED),
    /** The final pass or finalization failed. Commands: start, remove. */
    COMPLETION_FAILED("CompletionFailed", Summary.FAILED),
    /**
     * Initial sync failed (wrong password, unreachable server, too many bad items…); the
     * {@link MigrationUser#error() error} says why. Commands: start, remove, set.
     */
    FAILED("Failed", Summary.FAILED),
    /** Being removed from its batch. Commands: none. */
    REMOVING("Removing", Summary.ACTIVE);

    /** The five-value summary of a user's status ({@code MigrationUserStatusSummary}). */
    public enum Summary {
        /** Queued or working. */
        ACTIVE,
        /** Synced and waiting for the next pass or completion. */
        SYNCED,
        /** Finished. */
        COMPLETED,
        /** Failed at some stage. */
        FAILED,
        /** Stopped by an administrator. */
        STOPPED
    }

    private final String displayName;
    private final Summary summary;

    MigrationUserStatus(String displayName, Summary summary) {
        this.displayName = displayName;
        this.summary = summary;
    }

    /** Returns the Exchange spelling, e.g. {@code IncrementalSyncing}. */
    public String displayName() {
        return displayName;
    }

    /** Returns the summary this status belongs to. */
    public Summary summary() {
        return summary;
    }

    /**
     * Returns the per-user commands this status accepts (a user command also needs the batch's
     * status to allow it, see {@link BatchStatus#allowedUserCommands()}).
     *
     * @return an unmodifiable set, possibly empty
     */
    public Set<UserCommand> allowedCommands() {
        return Tables.COMMANDS.get(this);
    }

    /**
     * Tells whether this status accepts a command.
     *
     * @param command the command, not {@code null}
     * @return {@code true} if allowed
     */
    public boolean allows(UserCommand command) {
        return allowedCommands().contains(command);
    }

    /**
     * Returns {@code true} while a pass of this user runs or is about to run (Starting, Syncing,
     * IncrementalSyncing, Stopping, Completing, CompletionSynced, Removing).
     */
    public boolean isRunning() {
        return switch (this) {
            case STARTING, SYNCING, INCREMENTAL_SYNCING, STOPPING, COMPLETING, COMPLETION_SYNCED, REMOVING -> true;
            default -> false;
        };
    }

    /** Returns {@code true} for the statuses of the {@link Summary#FAILED} summary. */
    public boolean isFailed() {
        return summary == Summary.FAILED;
    }

    /**
     * Parses the Exchange spelling or the constant name, ignoring case.
     *
     * @param text the status text, not {@code null}
     * @return the status
     * @throws IllegalArgumentException if no status has that name
     */
    public static MigrationUserStatus parse(String text) {
        for (MigrationUserStatus s : values()) {
            if (s.displayName.equalsIgnoreCase(text) || s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown user status '" + text + "'");
    }

    @Override
    public String toString() {
        return displayName;
    }

    /** The command table, built once. */
    private static final class Tables {
        static final Map<MigrationUserStatus, Set<UserCommand>> COMMANDS = new EnumMap<>(MigrationUserStatus.class);

        static {
            UserCommand start = UserCommand.START;
            UserCommand stop = UserCommand.STOP;
            UserCommand syncNow = UserCommand.SYNC_NOW;
            UserCommand remove = UserCommand.REMOVE;
            UserCommand set = UserCommand.SET;
            put(QUEUED, stop, remove, set);
            put(STARTING, stop, set);
            put(SYNCING, stop, set);
            put(SYNCED, stop, syncNow, remove, set);
            put(INCREMENTAL_SYNCING, stop, set);
            put(INCREMENTAL_SYNCED, stop, syncNow, remove, set);
            put(INCREMENTAL_FAILED, start, syncNow, remove, set);
            put(INCREMENTAL_STOPPED, start, remove, set);
            put(STOPPING, set);
            put(STOPPED, start, remove, set);
            put(COMPLETING);
            put(COMPLETION_SYNCED);
            put(COMPLETED, remove);
            put(COMPLETED_WITH_WARNINGS, remove);
            put(COMPLETION_FAILED, start, remove);
            put(FAILED, start, remove, set);
            put(REMOVING);
        }

        private static void put(MigrationUserStatus status, UserCommand... allowed) {
            EnumSet<UserCommand> set = EnumSet.noneOf(UserCommand.class);
            Collections.addAll(set, allowed);
            COMMANDS.put(status, Collections.unmodifiableSet(set));
        }
    }
}
