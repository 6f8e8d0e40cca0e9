package io.mailferry.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a migration batch that the engine applies to every user (Exchange:
 * {@code New-MigrationBatch} and {@code Set-MigrationBatch} parameters). Immutable; build one with
 * {@link #builder()} or derive a changed copy with {@link #toBuilder()}. Every component is
 * persisted with the batch.
 *
 * @param badItemLimit            corrupt or refused items tolerated per user before it fails
 *                                ({@code BadItemLimit}; default 0); a user's own limit overrides it
 * @param largeItemLimit          items over the maximum message size tolerated per user before it
 *                                fails ({@code LargeItemLimit}; default 0); a user's own limit
 *                                overrides it
 * @param autoStart               start the batch as soon as it is created ({@code AutoStart};
 *                                default off)
 * @param maxMessageSize          largest message copied, in bytes; larger ones are skipped as large
 *                                items. Default 150 MB (Exchange's remote-move limit); 0 means no
 *                                limit
 * @param autoComplete            complete each user as soon as its initial sync is done (and its
 *                                CompleteAfter, if any, has come) instead of waiting for
 *                                {@link MigrationBatch#complete()} ({@code AutoComplete}; default off)
 * @param startAfter              no data moves before this time: a started batch waits in
 *                                {@link BatchStatus#WAITING} until the service's clock passes it
 *                                ({@code StartAfter}, UTC); {@code null} for none. A user's own
 *                                StartAfter overrides it
 * @param completeAfter           the batch completes by itself once it is synced and the clock has
 *                                passed this time ({@code CompleteAfter}, UTC); {@code null} for
 *                                none (complete with {@link MigrationBatch#complete()})
 * @param allowIncrementalSyncs   run incremental passes every {@code incrementalSyncInterval} after
 *                                initial sync ({@code AllowIncrementalSyncs}; default on). Off: the
 *                                batch goes to Stopped when initial sync is done
 * @param incrementalSyncInterval time from the end of one pass of a synced batch to the next
 *                                automatic incremental pass; Exchange's fixed 24 h by default;
 *                                positive
 * @param includeFolders          only folders matching one of these are copied; empty for all
 *                                ({@code IncludeFolders}, see {@link FolderPattern}); unmodifiable
 * @param excludeFolders          folders matching one of these are not copied
 *                                ({@code ExcludeFolders}); unmodifiable
 * @param receivedAfter           copy only messages whose INTERNALDATE (when the source server
 *                                received them) is at or after this time; {@code null} for no lower
 *                                bound. Exchange's {@code ContentFilter "Received -ge …"}
 * @param receivedBefore          copy only messages whose INTERNALDATE is before this time;
 *                                {@code null} for no upper bound
 * @param notificationEmails      addresses that receive the batch's reports
 *                                ({@code NotificationEmails}); unmodifiable, possibly empty
 * @param reportInterval          how often a {@link MigrationEvent.ReportDue} event asks reporters
 *                                to send a report ({@code ReportInterval}; default 24 h;
 *                                {@link Duration#ZERO} for never)
 * @param priority                which batch gets free connection slots first (default
 *                                {@link BatchPriority#NORMAL})
 */
public record BatchOptions(
        ItemLimit badItemLimit,
        ItemLimit largeItemLimit,
        boolean autoStart,
        long maxMessageSize,
        boolean autoComplete,
        Instant startAfter,
        Instant completeAfter,
        boolean allowIncrementalSyncs,
        Duration incrementalSyncInterval,
        List<FolderPattern> includeFolders,
        List<FolderPattern> excludeFolders,
        Instant receivedAfter,
        Instant receivedBefore,
        List<String> notificationEmails,
        Duration reportInterval,
        BatchPriority priority) {

    /** 150 MB, the largest item Exchange's remote moves accept. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 150L * 1024 * 1024;
    /** Exchange's incremental sync interval: 24 h. */
    public static final Duration DEFAULT_INCREMENTAL_SYNC_INTERVAL = Duration.ofHours(24);
    /** Exchange's default {@code ReportInterval}: 24 h. */
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofHours(24);

    /** The defaults: see each component. */
    public static final BatchOptions DEFAULTS = new BatchOptions(ItemLimit.ZERO, ItemLimit.ZERO, false,
            DEFAULT_MAX_MESSAGE_SIZE);

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if a required component is {@code null}
     * @throws IllegalArgumentException if {@code maxMessageSize} is negative, an interval is not
     *                                  positive (the report interval may be zero), the received
     *                                  dates are in the wrong order or a notification address is
     *                                  not an address
     */
    public BatchOptions {
        Objects.requireNonNull(badItemLimit, "badItemLimit");
        Objects.requireNonNull(largeItemLimit, "largeItemLimit");
        Objects.requireNonNull(incrementalSyncInterval, "incrementalSyncInterval");
        Objects.requireNonNull(reportInterval, "reportInterval");
        Objects.requireNonNull(priority, "priority");
        includeFolders = List.copyOf(Objects.requireNonNull(includeFolders, "includeFolders"));
        excludeFolders = List.copyOf(Objects.requireNonNull(excludeFolders, "excludeFolders"));
        notificationEmails = List.copyOf(Objects.requireNonNull(notificationEmails, "notificationEmails"));
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must be 0 (no limit) or positive");
        }
        if (incrementalSyncInterval.isNegative() || incrementalSyncInterval.isZero()) {
            throw new IllegalArgumentException("incrementalSyncInterval must be positive");
        }
        if (reportInterval.isNegative()) {
            throw new IllegalArgumentException("reportInterval must be 0 (never) or positive");
        }
        if (receivedAfter != null && receivedBefore != null && !receivedAfter.isBefore(receivedBefore)) {
            throw new IllegalArgumentException("receivedAfter (" + receivedAfter + ") must be before receivedBefore ("
                    + receivedBefore + ")");
        }
        for (String address : notificationEmails) {
            if (address == null || address.isBlank() || address.indexOf('@') <= 0
                    || address.indexOf('@') == address.length() - 1 || address.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("notification address '" + address + "' is not an e-mail address");
            }
        }
    }

    /**
     * The options of the first MailFerry versions: limits, auto start and message size, everything
     * else at its default.
     *
     * @param badItemLimit   see the component
     * @param largeItemLimit see the component
     * @param autoStart      see the component
     * @param maxMessageSize see the component
     */
    public BatchOptions(ItemLimit badItemLimit, ItemLimit largeItemLimit, boolean autoStart, long maxMessageSize) {
        this(badItemLimit, largeItemLimit, autoStart, maxMessageSize, false, null, null, true,
                DEFAULT_INCREMENTAL_SYNC_INTERVAL, List.of(), List.of(), null, null, List.of(), DEFAULT_REPORT_INTERVAL,
                BatchPriority.NORMAL);
    }

    /** Returns a builder with the defaults; not thread-safe. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** Returns a builder pre-filled with these options; not thread-safe. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Tells whether a message received at {@code internalDate} passes the received-date filter.
     * A message without INTERNALDATE passes (nothing to decide on).
     *
     * @param internalDate the message's INTERNALDATE, or {@code null}
     * @return {@code true} if it is to be copied
     */
    public boolean receivedInRange(Instant internalDate) {
        if (internalDate == null) {
            return true;
        }
        return (receivedAfter == null || !internalDate.isBefore(receivedAfter))
                && (receivedBefore == null || internalDate.isBefore(receivedBefore));
    }

    /** Returns {@code true} if the batch has a received-date filter. */
    public boolean hasReceivedDateFilter() {
        return receivedAfter != null || receivedBefore != null;
    }

    /**
     * Builds {@link BatchOptions}. Not thread-safe; {@link #build()} can be called again after
     * further changes.
     */
    public static final class Builder {
        private ItemLimit badItemLimit;
        private ItemLimit largeItemLimit;
        private boolean autoStart;
        private long maxMessageSize;
        private boolean autoComplete;
        private Instant startAfter;
        private Instant completeAfter;
        private boolean allowIncrementalSyncs;
        private Duration incrementalSyncInterval;
        private final List<FolderPattern> includeFolders = new ArrayList<>();
        private final List<FolderPattern> excludeFolders = new ArrayList<>();
        private Instant receivedAfter;
        private Instant receivedBefore;
        private final List<String> notificationEmails = new ArrayList<>();
        private Duration reportInterval;
        private BatchPriority priority;

        private Builder(BatchOptions o) {
            badItemLimit = o.badItemLimit;
            largeItemLimit = o.largeItemLimit;
            autoStart = o.autoStart;
            maxMessageSize = o.maxMessageSize;
            autoComplete = o.autoComplete;
            startAfter = o.startAfter;
            completeAfter = o.completeAfter;
            allowIncrementalSyncs = o.allowIncrementalSyncs;
            incrementalSyncInterval = o.incrementalSyncInterval;
            includeFolders.addAll(o.includeFolders);
            excludeFolders.addAll(o.excludeFolders);
            receivedAfter = o.receivedAfter;
            receivedBefore = o.receivedBefore;
            notificationEmails.addAll(o.notificationEmails);
            reportInterval = o.reportInterval;
            priority = o.priority;
        }

        /** @param limit corrupt or refused items tolerated per user, not {@code null} @return this builder */
        public Builder badItemLimit(ItemLimit limit) {
            this.badItemLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** @param limit too-large items tolerated per user, not {@code null} @return this builder */
        public Builder largeItemLimit(ItemLimit limit) {
            this.largeItemLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /** @param autoStart start as soon as created @return this builder */
        public Builder autoStart(boolean autoStart) {
            this.autoStart = autoStart;
            return this;
        }

        /** @param bytes largest message copied, 0 for no limit @return this builder */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** @param autoComplete complete each user once its initial sync is done @return this builder */
        public Builder autoComplete(boolean autoComplete) {
            this.autoComplete = autoComplete;
            return this;
        }

        /** @param time no data moves before this time, or {@code null} @return this builder */
        public Builder startAfter(Instant time) {
            this.startAfter = time;
            return this;
        }

        /** @param time complete once synced and past this time, or {@code null} @return this builder */
        public Builder completeAfter(Instant time) {
            this.completeAfter = time;
            return this;
        }

        /** @param allow run incremental passes after initial sync @return this builder */
        public Builder allowIncrementalSyncs(boolean allow) {
            this.allowIncrementalSyncs = allow;
            return this;
        }

        /** @param interval time between automatic incremental passes, positive @return this builder */
        public Builder incrementalSyncInterval(Duration interval) {
            this.incrementalSyncInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Replaces the include patterns.
         *
         * @param patterns {@link FolderPattern} texts, e.g. {@code #Inbox#/*}
         * @return this builder
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder includeFolders(List<String> patterns) {
            includeFolders.clear();
            includeFolders.addAll(FolderPattern.all(patterns));
            return this;
        }

        /**
         * Replaces the exclude patterns.
         *
         * @param patterns {@link FolderPattern} texts, e.g. {@code #JunkEmail#}
         * @return this builder
         * @throws IllegalArgumentException if a pattern is invalid
         */
        public Builder excludeFolders(List<String> patterns) {
            excludeFolders.clear();
            excludeFolders.addAll(FolderPattern.all(patterns));
            return this;
        }

        /** @param time copy only messages received at or after this time, or {@code null} @return this builder */
        public Builder receivedAfter(Instant time) {
            this.receivedAfter = time;
            return this;
        }

        /** @param time copy only messages received before this time, or {@code null} @return this builder */
        public Builder receivedBefore(Instant time) {
            this.receivedBefore = time;
            return this;
        }

        /** @param addresses report recipients; replaces the list @return this builder */
        public Builder notificationEmails(List<String> addresses) {
            notificationEmails.clear();
            notificationEmails.addAll(addresses);
            return this;
        }

        /** @param interval report interval, {@link Duration#ZERO} for never @return this builder */
        public Builder reportInterval(Duration interval) {
            this.reportInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** @param priority the batch's priority, not {@code null} @return this builder */
        public Builder priority(BatchPriority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public BatchOptions build() {
            return new BatchOptions(badItemLimit, largeItemLimit, autoStart, maxMessageSize, autoComplete, startAfter,
                    completeAfter, allowIncrementalSyncs, incrementalSyncInterval, includeFolders, excludeFolders,
                    receivedAfter, receivedBefore, notificationEmails, reportInterval, priority);
        }
    }
}
