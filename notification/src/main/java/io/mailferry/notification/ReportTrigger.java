package io.mailferry.notification;

/** Why a batch report was made. */
public enum ReportTrigger {
    /**
     * The batch reached {@code Synced}, {@code SyncedWithErrors}, {@code Completed},
     * {@code CompletedWithErrors} or {@code Failed}.
     */
    STATUS,
    /** The batch's {@code ReportInterval} passed. */
    PERIODIC,
    /** A host asked for it ({@link BatchReporter#sendNow}). */
    REQUESTED
}
