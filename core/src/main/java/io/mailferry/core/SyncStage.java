package io.mailferry.core;

/**
 * What a user's migration is doing right now, as the Exchange migration service's
 * "current stage" ({@code WorkflowStage}) shows it.
 */
public enum SyncStage {
    /** Not working: queued, synced, stopped or failed. */
    IDLE,
    /** Connecting and logging in to source and target. */
    CONNECTING,
    /** Listing and mapping folders, creating missing target folders. */
    ENUMERATING_FOLDERS,
    /** Copying messages of an initial sync. */
    COPYING_MESSAGES,
    /** Copying new messages and flag changes of an incremental pass. */
    INCREMENTAL_SYNC,
    /** Finishing the pass: statistics, checkpoints. */
    FINALIZING,
    /**
     * "Stalled: source throttled": waiting out a back-off the source server asked for (reported by
     * the connector through {@link io.mailferry.core.spi.SessionObserver}); the pass continues
     * afterwards.
     */
    STALLED_SOURCE_THROTTLED,
    /** "Stalled: target throttled": waiting out a back-off the target server asked for. */
    STALLED_TARGET_THROTTLED
}
