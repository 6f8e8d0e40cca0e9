package io.mailferry.core;

/**
 * The status of one mailbox in a batch ({@code MigrationUserStatus} of the Exchange migration
 * service), with its {@link #summary() summary}.
 */
public enum MigrationUserStatus {
    /** Waiting for a free slot on the endpoints, or for the batch to start. */
    QUEUED("Queued", Summary.ACTIVE),
    /** Started (or resumed); about to connect. */
    STARTING("Starting", Summary.ACTIVE),
    /** Initial sync running. */
    SYNCING("Syncing", Summary.ACTIVE),
    /** Initial sync done; for IMAP also "the last incremental sync succeeded". */
    SYNCED("Synced", Summary.SYNCED),
    /** An incremental pass is running. */
    INCREMENTAL_SYNCING("IncrementalSyncing", Summary.ACTIVE),
    /** An incremental pass finished. */
    INCREMENTAL_SYNCED("IncrementalSynced", Summary.SYNCED),
    /** An incremental pass failed; the mailbox keeps what was copied before. */
    INCREMENTAL_FAILED("IncrementalFailed", Summary.FAILED),
    /** Stopped after initial sync was done. */
    INCREMENTAL_STOPPED("IncrementalStopped", Summary.STOPPED),
    /** Stop requested; the active copy is winding down. */
    STOPPING("Stopping", Summary.ACTIVE),
    /** Stopped before initial sync was done. */
    STOPPED("Stopped", Summary.STOPPED),
    /** Final incremental pass running. */
    COMPLETING("Completing", Summary.ACTIVE),
    /** Final incremental pass done, finalization pending. */
    COMPLETION_SYNCED("CompletionSynced", Summary.SYNCED),
    /** Finished. */
    COMPLETED("Completed", Summary.COMPLETED),
    /** Finished with skipped items. */
    COMPLETED_WITH_WARNINGS("CompletedWithWarnings", Summary.COMPLETED),
    /** The final pass or finalization failed. */
    COMPLETION_FAILED("CompletionFailed", Summary.FAILED),
    /** Initial sync failed (wrong password, unreachable server, too many bad items…). */
    FAILED("Failed", Summary.FAILED),
    /** Being removed from its batch. */
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
}
