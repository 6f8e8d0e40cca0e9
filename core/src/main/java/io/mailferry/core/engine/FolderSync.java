package io.mailferry.core.engine;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.SkippedItemKind;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.store.FolderCheckpoint;
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.InFlightAppend;
import io.mailferry.core.store.MigrationStore;
import io.mailferry.core.store.UidMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One pass over one source folder:
 * <ol>
 *   <li>select the source folder; compare its UIDVALIDITY with the checkpoint;</li>
 *   <li>settle what the checkpoint leaves open ({@link #settle}): an append that was interrupted
 *       before its checkpoint, or — without a usable checkpoint (none, or the source's UIDVALIDITY
 *       changed) and with messages already in the target folder — which source messages are
 *       there already (by fingerprint, see {@link ExistingCopies});</li>
 *   <li>if UIDNEXT (or, with CONDSTORE, HIGHESTMODSEQ) shows nothing new, stop after the flag
 *       check;</li>
 *   <li>list messages above the checkpoint's highest UID, page by page, leaving out those already
 *       known to be on the target; copy the others in chunks bounded by count and bytes
 *       ({@link #copyChunk}): fetch, record the chunk as in flight, append, checkpoint;</li>
 *   <li>bring the flags of messages copied in earlier passes (or found on the target) up to date
 *       (only those changed since the checkpoint's HIGHESTMODSEQ when the source has
 *       CONDSTORE).</li>
 * </ol>
 *
 * <p><b>Exactly once.</b> Every checkpoint goes to the store in one unit of work with the pairs
 * and skipped items of its chunk; before each append the chunk's source UIDs are recorded as in
 * flight, with the target folder's UIDVALIDITY and a lower bound of the UIDs the append can
 * produce. After a crash anywhere, only the in-flight chunk is uncertain; the next pass looks for
 * its messages among the target messages at or above that bound and copies only those it does
 * not find.
 *
 * <p>The source is never modified. Sync is add-only: messages deleted at the source stay on the
 * target.
 *
 * <p>The batch's received-date filter leaves out messages whose INTERNALDATE is outside it: they are
 * neither copied nor recorded as skipped, and the checkpoint moves past them, so a later pass does
 * not look at them again (widening the filter later does not bring them back).
 *
 * <p><b>Cross-folder duplicates.</b> With {@link UserSync#copiedIdentities()} (the source endpoint's
 * {@link io.mailferry.core.MigrationEndpoint#SKIP_CROSS_DUPLICATES}), a listed message whose
 * {@link MessageInfo#crossFolderId()} is among the identities already copied (from another folder,
 * in this pass or an earlier one) is passed over like a filtered message: counted as filtered, not
 * skipped, and the checkpoint moves past it. The identities of the messages a chunk copies go to
 * the store in the unit of work of the chunk's checkpoint; those of messages found on the target
 * (an interrupted append, a folder without checkpoint) with their page's checkpoint, each with
 * the message's target UID (from APPENDUID, or the pair found) so that the first copy can be found
 * again.
 *
 * <p><b>Labels.</b> When the target also reports {@link ConnectorCapability#FOLDER_LABELS} (Gmail
 * to Gmail), such a passed-over message is not only counted as filtered: its first copy is made to
 * appear in this folder's target folder too ({@link TargetMailbox#addLabels}, Gmail's
 * {@code X-GM-LABELS}). The reader attaches these label adds to the chunk (or page end) it hands
 * over next, grouped by the first copy's target folder (one call per group), and the pass thread
 * makes them before that chunk's checkpoint is saved: a crash in between repeats them on the next
 * pass, which is harmless as adding a label is idempotent. Where the first copy's UID is not known
 * (a target without UIDPLUS, identities recorded by schema version 5) the message is only counted
 * as filtered, as without the capability, and logged once per folder. A refused add ({@code NO},
 * or the first copy's folder gone) becomes a skipped item of kind {@link SkippedItemKind#LABEL_NOT_ADDED} per message, recorded
 * with the chunk's checkpoint; it counts against no limit. Label adds are not copies: the messages
 * stay counted as filtered.
 */
final class FolderSync {
    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);

    private final UserSync pass;
    private final SourceMailbox src;
    private final TargetMailbox dst;
    private final String sourceFolder;
    private final String targetFolder;
    private final SyncSettings settings;
    private final BatchOptions options;
    private final String batchName;
    private final String email;
    private final MigrationStore store;
    /** What is copied already, or {@code null} to copy the folder in full. */
    private final CopiedIdentities copiedIds;

    /** The checkpoint's values; its map holds the pairs known when the pass began, plus those found on the target. */
    private FolderSyncState state;
    /** The current target folder's UIDVALIDITY. */
    private long targetUidValidity;
    /** A lower bound of the next target UID an append gets, or 0 if unknown (then the folder is selected again). */
    private long nextTargetUid;
    private long copied;
    private long skippedCount;
    private long flagsUpdated;
    private long duplicates;
    /** Whether passed-over duplicates get this folder's label on their first copy (FOLDER_LABELS). */
    private volatile boolean labels; // read by the reader thread, cleared by the pass thread
    /** This folder's target folder as an index of {@link #copiedIds}, when {@link #labels}. */
    private int labelFolderIndex = -1;
    private long labelsAdded;
    private long unlabelled;

    /** The source folder's state and checkpoint as the pass read them before its folder loop, or {@code null}. */
    private final UserSync.SourceLook look;

    FolderSync(UserSync pass, SourceMailbox src, TargetMailbox dst, String sourceFolder, String targetFolder) {
        this(pass, src, dst, sourceFolder, targetFolder, null);
    }

    /**
     * @param look the source folder's state and checkpoint read moments ago by the pass, or
     *             {@code null} to read them here
     */
    FolderSync(UserSync pass, SourceMailbox src, TargetMailbox dst, String sourceFolder, String targetFolder,
               UserSync.SourceLook look) {
        this.look = look;
        this.pass = pass;
        this.src = src;
        this.dst = dst;
        this.sourceFolder = sourceFolder;
        this.targetFolder = targetFolder;
        this.settings = pass.engine().settings();
        this.options = pass.options();
        this.batchName = pass.batch().name();
        this.email = pass.user().emailAddress();
        this.store = pass.engine().store();
        this.copiedIds = pass.copiedIdentities();
        this.labels = copiedIds != null && dst.capabilities().contains(ConnectorCapability.FOLDER_LABELS);
        if (labels) {
            labelFolderIndex = copiedIds.folderIndex(targetFolder);
        }
    }

    void run() {
        FolderStatus source = look != null ? look.status() : src.selectFolder(sourceFolder);
        pass.folderSeen(source.messageCount(), 0);
        String key = pass.user().mailboxKey();
        FolderSyncState saved = look != null ? look.saved() : store.folderState(key, sourceFolder).orElse(null);
        boolean replaceStored = false;
        if (saved != null && saved.sourceUidValidity() != source.uidValidity()) {
            LOG.warn("User {}: UIDVALIDITY of source folder '{}' changed ({} -> {}); its checkpoint no longer applies:"
                    + " messages already on the target will be recognised by their headers", email, sourceFolder,
                    saved.sourceUidValidity(), source.uidValidity());
            saved = null;
            replaceStored = true;
        }
        state = saved != null ? saved : FolderSyncState.initial(key, sourceFolder, source.uidValidity(), targetFolder);
        if (!state.targetFolder().equals(targetFolder)) {
            // The folder now maps elsewhere: keep what was copied (so it is not copied again), but
            // forget the target UIDs: they name messages of the old target folder, and applied to
            // the new one they would change the flags of unrelated messages.
            UidMap.Builder copiedOnly = UidMap.builder();
            state.uidMap().forEach((sourceUid, targetUid) -> copiedOnly.put(sourceUid, 0));
            state = new FolderSyncState(key, sourceFolder, state.sourceUidValidity(), state.highestUid(),
                    state.highestModSeq(), targetFolder, 0, copiedOnly.build(), state.lastSyncedAt(), null);
            replaceStored = true;
        }
        boolean condstore = src.capabilities().contains(ConnectorCapability.CONDSTORE) && source.highestModSeq() > 0;
        boolean unchanged = condstore && state.highestModSeq() > 0 && source.highestModSeq() == state.highestModSeq();
        if (unchanged && !replaceStored && state.inFlight() == null) {
            // Nothing new, no flag changed (RFC 7162 section 3.1.1: every change raises
            // HIGHESTMODSEQ), nothing left open: the target is not even selected, so a no-op pass
            // costs the source's STATUS (or nothing, after LIST-STATUS) and one store write; when
            // every folder is so, UserSync does not even open the target.
            state = state.withPassEnd(source.highestModSeq(), pass.engine().now());
            checkpoint(UidMap.EMPTY, List.of());
            pass.folderDone(sourceFolder, targetFolder, 0, 0, 0);
            return;
        }

        FolderStatus target = dst.selectFolder(targetFolder);
        targetUidValidity = target.uidValidity();
        nextTargetUid = target.uidNext();
        if (state.targetUidValidity() != 0 && target.uidValidity() != state.targetUidValidity()) {
            LOG.warn("User {}: UIDVALIDITY of target folder '{}' changed; flags of earlier copies will not be updated",
                    email, targetFolder);
        }
        long flagsUpTo = settle(source, target, replaceStored);

        boolean mayHaveNew = !unchanged && (source.uidNext() == 0 || source.uidNext() > state.highestUid() + 1);
        if (mayHaveNew && source.messageCount() > 0) {
            copyNew();
        }
        if (!unchanged && flagsUpTo > 0) {
            syncFlags(flagsUpTo, condstore ? state.highestModSeq() : 0, target);
        }
        state = state.withPassEnd(condstore ? source.highestModSeq() : 0, pass.engine().now());
        checkpoint(UidMap.EMPTY, List.of());
        if (duplicates > 0) {
            LOG.info("User {}: folder '{}': {} message(s) already copied from another folder (one message under"
                    + " several labels) not copied into '{}' again", email, sourceFolder, duplicates, targetFolder);
        }
        if (labelsAdded > 0) {
            LOG.info("User {}: folder '{}': {} message(s) copied into another folder first now also appear in '{}'"
                    + " (label added)", email, sourceFolder, labelsAdded, targetFolder);
        }
        if (unlabelled > 0) {
            LOG.info("User {}: folder '{}': {} message(s) copied into another folder first are not shown in '{}' too:"
                    + " the target UID of their copy is not known (a target without UIDPLUS, or copied by an older"
                    + " MailFerry)", email, sourceFolder, unlabelled, targetFolder);
        }
        pass.folderDone(sourceFolder, targetFolder, copied, skippedCount, flagsUpdated);
    }

    // ---------------------------------------------------------------------------------------------
    // What the checkpoint leaves open

    /**
     * Resolves an interrupted append, or recognises the messages already on the target where the
     * checkpoint says nothing was copied; records what it finds (or a reset state) in the store.
     *
     * @return the highest source UID whose flags the pass should bring up to date
     */
    private long settle(FolderStatus source, FolderStatus target, boolean replaceStored) {
        long flagsUpTo = state.highestUid();
        if (state.inFlight() != null) {
            UidMap found = resolveInFlight(state.inFlight(), target);
            state = state.withInFlight(null);
            if (!found.isEmpty()) {
                state = state.withProgress(state.highestUid(), merge(state.uidMap(), found), targetUidValidity());
                flagsUpTo = Math.max(flagsUpTo, found.highestSourceUid());
            }
            if (replaceStored) {
                store.saveFolderState(batchName, state, List.of());
            } else {
                store.saveFolderCheckpoint(batchName, FolderCheckpoint.of(state, found), List.of());
            }
            return flagsUpTo;
        }
        boolean nothingRecorded = state.highestUid() == 0 && state.uidMap().isEmpty();
        if (nothingRecorded && target.messageCount() > 0 && source.messageCount() > 0) {
            UidMap found = matchExisting(source, target);
            state = state.withProgress(0, found, targetUidValidity());
            flagsUpTo = found.highestSourceUid();
            replaceStored = true;
        }
        if (replaceStored) {
            // One write of the whole state: it replaces a checkpoint of another UIDVALIDITY or folder.
            store.saveFolderState(batchName, state, List.of());
        }
        return flagsUpTo;
    }

    /** Looks for the messages of an interrupted append on the target; returns the pairs found. */
    private UidMap resolveInFlight(InFlightAppend inFlight, FolderStatus target) {
        Set<Long> pending = new HashSet<>();
        for (long uid : inFlight.sourceUids()) {
            if (!state.uidMap().containsSource(uid)) {
                pending.add(uid);
            }
        }
        boolean sameTargetFolder = inFlight.targetUidValidity() == 0 || inFlight.targetUidValidity() == target.uidValidity();
        long from = sameTargetFolder ? Math.max(1, inFlight.targetUidNext()) : 1;
        boolean anythingAppended = target.messageCount() > 0 && (target.uidNext() == 0 || target.uidNext() > from);
        if (pending.isEmpty() || !anythingAppended) {
            LOG.info("User {}: folder '{}': none of the {} message(s) of the interrupted append reached target folder '{}'",
                    email, sourceFolder, inFlight.sourceUids().size(), targetFolder);
            return UidMap.EMPTY;
        }
        Set<Long> knownTargets = knownTargetUids(from);
        MessageMatcher.Result r = new ExistingCopies(src, sourceFolder, dst, targetFolder, pass::checkInterrupted)
                .find(inFlight.firstSourceUid(), inFlight.lastSourceUid(), pending::contains,
                        from, lastUid(target), uid -> !knownTargets.contains(uid));
        if (r == null) {
            LOG.warn("User {}: folder '{}': the target connector cannot read messages, so the {} message(s) of an"
                    + " interrupted append are copied again and may be on target folder '{}' twice", email,
                    sourceFolder, pending.size(), targetFolder);
            return UidMap.EMPTY;
        }
        LOG.info("User {}: folder '{}': {} of the {} message(s) of the interrupted append are on target folder '{}'"
                        + " (UIDs from {}); {} body hash(es); the rest will be copied", email, sourceFolder,
                r.pairs().size(), pending.size(), targetFolder, from, r.bodiesHashed());
        return toMap(r.pairs());
    }

    /** Recognises source messages already in the target folder (no usable checkpoint). */
    private UidMap matchExisting(FolderStatus source, FolderStatus target) {
        MessageMatcher.Result r = new ExistingCopies(src, sourceFolder, dst, targetFolder, pass::checkInterrupted)
                .find(1, lastUid(source), uid -> true, 1, lastUid(target), uid -> true);
        if (r == null) {
            LOG.warn("User {}: target folder '{}' holds {} message(s) and the target connector cannot read them:"
                    + " copying source folder '{}' without checking which are there already", email, targetFolder,
                    target.messageCount(), sourceFolder);
            return UidMap.EMPTY;
        }
        LOG.info("User {}: folder '{}' has no checkpoint to go by; {} of its messages are already in target folder '{}'"
                        + " ({} message(s) there, {} body hash(es)) and will not be copied", email, sourceFolder,
                r.pairs().size(), targetFolder, target.messageCount(), r.bodiesHashed());
        return toMap(r.pairs());
    }

    /** The highest UID a folder's messages had when it was selected (UIDNEXT - 1), or the highest UID there is. */
    private static long lastUid(FolderStatus folder) {
        return folder.uidNext() > 0 ? folder.uidNext() - 1 : ExistingCopies.MAX_UID;
    }

    /** Target UIDs from {@code from} on that the checkpoint already pairs with source messages. */
    private Set<Long> knownTargetUids(long from) {
        Set<Long> out = new HashSet<>();
        state.uidMap().forEach((sourceUid, targetUid) -> {
            if (targetUid >= from) {
                out.add(targetUid);
            }
        });
        return out;
    }

    private static UidMap toMap(Map<Long, Long> pairs) {
        UidMap.Builder b = UidMap.builder();
        pairs.forEach(b::put);
        return b.build();
    }

    private static UidMap merge(UidMap a, UidMap b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a.toBuilder().putAll(b).build();
    }

    private long targetUidValidity() {
        return state.targetUidValidity() != 0 ? state.targetUidValidity() : targetUidValidity;
    }

    // ---------------------------------------------------------------------------------------------
    // Copying

    /**
     * Copies the messages above the checkpoint. A reader ({@link ChunkReader}) lists them page by
     * page and fetches them chunk by chunk; the pass thread appends and checkpoints each chunk. With
     * {@link SyncSettings#pipeline()} the reader runs on its own thread and fetches the next chunk
     * while the target stores the current one (the source and target sessions are separate
     * connections, each used by one thread at a time); the two threads hand over at most one chunk,
     * so no more than two chunks are buffered.
     *
     * <p>Exactly once still holds: one chunk at a time is in flight. Its record is written before
     * its APPENDs are sent, and once its APPENDUIDs are back its pairs are checkpointed in the
     * same unit of work as the next chunk's in-flight record when that chunk is ready (one store
     * write per chunk instead of two), else on their own.
     *
     * <p>A stop is noticed by the reader before it lists a page or reads a chunk; the chunks it has
     * read by then are appended, so a stopped pass ends between chunks as without pipelining (at
     * most one chunk later). Closing the service interrupts both threads.
     */
    private void copyNew() {
        ChunkReader reader = new ChunkReader(state.highestUid(), state.uidMap());
        Appender appender = new Appender();
        if (!settings.pipeline()) {
            reader.run(f -> {
                appender.accept(f);
                appender.flush();
            });
            return;
        }
        SynchronousQueue<Fetched> handOver = new SynchronousQueue<>();
        Thread thread = new Thread(() -> reader.runGuarded(handOver), "mailferry-read-" + Thread.currentThread().getName());
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Fetched f = handOver.poll();
                if (f == null) {
                    appender.flush(); // nothing ready: make the last chunk's progress durable while waiting
                    f = take(handOver, thread);
                }
                if (f.failure != null) {
                    throw f.failure;
                }
                if (f == Fetched.END) {
                    appender.flush();
                    return;
                }
                appender.accept(f);
            }
        } finally {
            reader.cancelled = true;
            thread.interrupt(); // as the pass thread was: a fetch blocked in the connector gives up
            appender.discard();
            stopReader(thread, handOver);
        }
    }

    /**
     * Waits for the reader's next item. A stop is the reader's to notice (before its next page or
     * chunk, as the pass thread does without pipelining), so every chunk it has read is appended;
     * an interrupt (the service closing) ends the wait.
     */
    private static Fetched take(SynchronousQueue<Fetched> q, Thread reader) {
        try {
            while (true) {
                Fetched f = q.poll(1, TimeUnit.SECONDS);
                if (f != null) {
                    return f;
                }
                if (!reader.isAlive()) {
                    f = q.poll();
                    if (f != null) {
                        return f;
                    }
                    throw new IllegalStateException("the source reader ended without a result");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserSync.PassInterruptedException();
        }
    }

    /** Waits for the reader to end (it stops at its next step), closing what it still hands over. */
    private void stopReader(Thread thread, SynchronousQueue<Fetched> handOver) {
        if (!awaitReaderEnd(thread, handOver, Fetched::close, READER_STOP_TIMEOUT_NANOS)) {
            LOG.warn("User {}: folder '{}': the source reader has not ended; leaving it", email, sourceFolder);
        }
    }

    /** How long {@link #stopReader} waits for the reader: 2 minutes. */
    private static final long READER_STOP_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);
    /** How often {@link #awaitReaderEnd} looks for an item the reader is still offering. */
    private static final long READER_JOIN_SLICE_MS = 10;

    /**
     * Waits until {@code reader} has ended, closing every item it still offers on {@code handOver}
     * (a reader blocked in its offer goes on once its item is taken). Waits on the thread itself
     * ({@link Thread#join(long)}), so it returns as soon as the reader ends: after the reader handed
     * over its end, typically at once. (It used to wait in timed polls of the queue, which cost up to
     * 100 ms per folder copied when the reader was still ending.) The caller's interrupt status is
     * kept.
     *
     * @return {@code false} if the reader was still alive after {@code timeoutNanos}
     */
    static <T> boolean awaitReaderEnd(Thread reader, SynchronousQueue<T> handOver, Consumer<T> close,
                                      long timeoutNanos) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            while (reader.isAlive()) {
                T item = handOver.poll(); // one the reader offers right now
                if (item != null) {
                    close.accept(item);
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    reader.join(Math.max(1, Math.min(READER_JOIN_SLICE_MS, left / 1_000_000)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What the reader hands over: a chunk (its messages, those it could not read or leaves out as
     * skipped items, the buffers of those it read), the end of a listed page, the end, or a failure.
     */
    private static final class Fetched {
        static final Fetched END = new Fetched(List.of(), List.of(), Map.of(), List.of(), 0, 0, null);
        private static final long[] NO_IDS = new long[0];

        final List<MessageInfo> chunk;
        final List<SkippedItem> skipped;
        final Map<Long, MessageBuffer> buffers;
        /** Sizes of the messages listed for copying in this chunk (statistics). */
        final List<Long> listedSizes;
        /** For the end of a page: its last UID; else 0. */
        final long pageEnd;
        /** For the end of a page: messages the received-date filter passed over. */
        final long filtered;
        final RuntimeException failure;
        /** For the end of a page: messages passed over as copied from another folder already. */
        long duplicates;
        /** For the end of a page: identities of its messages found on the target, not yet recorded. */
        long[] knownIds = NO_IDS;
        /** Their target UIDs (0 if unknown), parallel to {@link #knownIds}. */
        long[] knownUids = NO_IDS;
        /** Label adds to make before this item's checkpoint, or {@code null}. */
        LabelWork labels;

        Fetched(List<MessageInfo> chunk, List<SkippedItem> skipped, Map<Long, MessageBuffer> buffers,
                List<Long> listedSizes, long pageEnd, long filtered, RuntimeException failure) {
            this.chunk = chunk;
            this.skipped = skipped;
            this.buffers = buffers;
            this.listedSizes = listedSizes;
            this.pageEnd = pageEnd;
            this.filtered = filtered;
            this.failure = failure;
        }

        static Fetched pageEnd(long last, long filtered, long duplicates, long[] knownIds, long[] knownUids) {
            Fetched f = new Fetched(List.of(), List.of(), Map.of(), List.of(), last, filtered, null);
            f.duplicates = duplicates;
            f.knownIds = knownIds;
            f.knownUids = knownUids;
            return f;
        }

        /** The messages read, in order. */
        List<MessageInfo> readable() {
            List<MessageInfo> out = new ArrayList<>();
            for (MessageInfo m : chunk) {
                if (buffers.containsKey(m.uid())) {
                    out.add(m);
                }
            }
            return out;
        }

        void close() {
            buffers.values().forEach(MessageBuffer::close);
        }
    }

    /** Lists and fetches; runs on the pass thread or on its own. Uses only the source session. */
    private final class ChunkReader {
        private final long start;
        /** Label adds noted since the last item handed over, or {@code null}. */
        private LabelWork pendingLabels;
        /** Pairs known when the copy began: source UIDs already on the target. */
        private final UidMap known;
        volatile boolean cancelled;

        ChunkReader(long start, UidMap known) {
            this.start = start;
            this.known = known;
        }

        /** Runs on the reader thread: everything, then {@link Fetched#END}, or a failure, goes to the queue. */
        void runGuarded(SynchronousQueue<Fetched> out) {
            try {
                run(f -> handOver(out, f));
                handOver(out, Fetched.END);
            } catch (Cancelled e) {
                // the pass thread stopped first
            } catch (RuntimeException e) {
                try {
                    handOver(out, new Fetched(List.of(), List.of(), Map.of(), List.of(), 0, 0, e));
                } catch (Cancelled ignored) {
                    // the pass thread stopped first
                }
            } catch (Error e) {
                try {
                    handOver(out, new Fetched(List.of(), List.of(), Map.of(), List.of(), 0, 0,
                            new IllegalStateException("source reader failed: " + e, e)));
                } catch (Cancelled ignored) {
                    // the pass thread stopped first
                }
                throw e;
            }
        }

        private void handOver(SynchronousQueue<Fetched> out, Fetched f) {
            try {
                while (!out.offer(f, 100, TimeUnit.MILLISECONDS)) {
                    if (cancelled) {
                        f.close();
                        throw new Cancelled();
                    }
                }
            } catch (InterruptedException e) {
                f.close();
                throw new Cancelled();
            }
        }

        void run(java.util.function.Consumer<Fetched> out) {
            long after = start;
            while (true) {
                check();
                List<MessageInfo> page = src.listMessages(sourceFolder, after, settings.listPageSize());
                if (page.isEmpty()) {
                    return;
                }
                List<MessageInfo> chunk = new ArrayList<>();
                List<SkippedItem> skipped = new ArrayList<>();
                List<Long> sizes = new ArrayList<>();
                long chunkBytes = 0;
                long filtered = 0;
                long duplicates = 0;
                List<Long> knownIds = new ArrayList<>();
                List<Long> knownUids = new ArrayList<>();
                for (MessageInfo m : page) {
                    if (m.uid() <= after) {
                        continue;
                    }
                    if (known.containsSource(m.uid())) {
                        if (copiedIds != null && m.crossFolderId() != 0 && !copiedIds.contains(m.crossFolderId())) {
                            knownIds.add(m.crossFolderId()); // found on the target: recorded as copied at the page end
                            knownUids.add(known.targetUid(m.uid()));
                        }
                        continue; // already on the target
                    }
                    if (!options.receivedInRange(m.internalDate())) {
                        filtered++; // outside the received-date filter: passed over, the page-end checkpoint moves past it
                        continue;
                    }
                    if (copiedIds != null && copiedIds.contains(m.crossFolderId())) {
                        duplicates++; // copied from another folder already: passed over like a filtered message
                        if (labels) {
                            pendingLabels = noteLabel(pendingLabels, m);
                        }
                        continue;
                    }
                    if (options.maxMessageSize() > 0 && m.size() > options.maxMessageSize()) {
                        sizes.add(m.size());
                        skipped.add(skippedItem(m, null, SkippedItemKind.LARGE_ITEM, "Message of " + m.size()
                                + " bytes is larger than the maximum message size of " + options.maxMessageSize()
                                + " bytes"));
                        continue;
                    }
                    if (!chunk.isEmpty() && (chunk.size() >= settings.chunkMaxMessages()
                            || chunkBytes + m.size() > settings.chunkMaxBytes())) {
                        out.accept(withLabels(fetch(chunk, skipped, sizes)));
                        chunk = new ArrayList<>();
                        skipped = new ArrayList<>();
                        sizes = new ArrayList<>();
                        chunkBytes = 0;
                        check();
                    }
                    sizes.add(m.size());
                    chunk.add(m);
                    chunkBytes += m.size();
                }
                if (!chunk.isEmpty() || !skipped.isEmpty()) {
                    out.accept(withLabels(fetch(chunk, skipped, sizes)));
                }
                long last = page.get(page.size() - 1).uid();
                out.accept(withLabels(Fetched.pageEnd(last, filtered, duplicates,
                        knownIds.stream().mapToLong(Long::longValue).toArray(),
                        knownUids.stream().mapToLong(Long::longValue).toArray())));
                if (last <= after) {
                    return;
                }
                after = last;
                if (page.size() < settings.listPageSize()) {
                    return;
                }
            }
        }

        /** Hands the label adds noted so far over with this item. */
        private Fetched withLabels(Fetched f) {
            f.labels = pendingLabels;
            pendingLabels = null;
            return f;
        }

        private void check() {
            if (cancelled) {
                throw new Cancelled();
            }
            pass.checkInterrupted();
        }

        /** Reads a chunk's messages into buffers; those it cannot read become skipped items. */
        private Fetched fetch(List<MessageInfo> chunk, List<SkippedItem> skipped, List<Long> sizes) {
            Map<Long, MessageBuffer> buffers = new LinkedHashMap<>();
            try {
                if (!chunk.isEmpty()) {
                    src.fetchMessages(sourceFolder, chunk, new MessageSink() {
                        @Override
                        public void accept(MessageInfo message, InputStream content) throws IOException {
                            buffers.put(message.uid(), MessageBuffer.read(content, message.size(),
                                    settings.memoryThreshold(), settings.spoolDirectory()));
                        }

                        @Override
                        public void failed(MessageInfo message, String reason) {
                            skipped.add(skippedItem(message, null, SkippedItemKind.CORRUPT,
                                    "The source could not deliver the message: " + reason));
                        }

                        @Override
                        public void tooLarge(MessageInfo message, String reason) {
                            skipped.add(skippedItem(message, null, SkippedItemKind.LARGE_ITEM,
                                    "The source could not deliver the message: " + reason));
                        }
                    });
                }
                return new Fetched(chunk, skipped, buffers, sizes, 0, 0, null);
            } catch (UncheckedIOException e) {
                buffers.values().forEach(MessageBuffer::close);
                throw new IllegalStateException("Could not buffer messages of folder '" + sourceFolder + "': "
                        + e.getCause().getMessage(), e);
            } catch (RuntimeException | Error e) {
                buffers.values().forEach(MessageBuffer::close);
                throw e;
            }
        }
    }

    /** The reader's own way out when the pass thread has stopped. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /**
     * Appends and checkpoints chunks on the pass thread. After a chunk's append, its checkpoint
     * (pairs, skipped items, highest UID) is held until {@link #flush()} or the next chunk, whose
     * in-flight record then goes to the store in the same unit of work.
     */
    private final class Appender {
        /** A chunk appended but not yet checkpointed, or {@code null}. */
        private Fetched pending;
        private UidMap pendingPairs = UidMap.EMPTY;
        private long[] pendingIds = Fetched.NO_IDS;
        private long[] pendingUids = Fetched.NO_IDS;
        private long pendingCount;
        private long pendingBytes;

        void accept(Fetched f) {
            if (f.pageEnd > 0) {
                flush();
                List<SkippedItem> refused = addLabels(f.labels);
                pass.filtered(f.filtered + f.duplicates);
                duplicates += f.duplicates;
                if (f.pageEnd > state.highestUid() || f.knownIds.length > 0 || !refused.isEmpty()) {
                    // The page ended with messages already on the target: everything up to it is dealt with.
                    state = state.withProgress(Math.max(f.pageEnd, state.highestUid()), state.uidMap(),
                            targetUidValidity());
                    checkpoint(UidMap.EMPTY, refused, f.knownIds, f.knownUids);
                    skippedCount += refused.size();
                    pass.skipped(refused);
                }
                return;
            }
            try {
                f.skipped.addAll(addLabels(f.labels)); // before this chunk's checkpoint
                for (long size : f.listedSizes) {
                    pass.listed(size);
                }
                List<MessageInfo> readable = f.readable();
                boolean recorded = false;
                if (pending != null && !readable.isEmpty() && nextTargetUid > 0) {
                    // the previous chunk's checkpoint and this chunk's in-flight record: one unit of work
                    state = state.withInFlight(inFlight(readable));
                    recorded = true;
                }
                flush();
                UidMap.Builder added = UidMap.builder();
                List<Long> addedIds = new ArrayList<>();
                List<Long> addedUids = new ArrayList<>();
                long[] progress = append(readable, f.buffers, f.skipped, added, addedIds, addedUids, recorded);
                long highest = state.highestUid();
                for (MessageInfo m : f.chunk) {
                    highest = Math.max(highest, m.uid());
                }
                for (SkippedItem s : f.skipped) {
                    highest = Math.max(highest, s.sourceUid());
                }
                state = state.withProgress(highest, state.uidMap(), targetUidValidity()).withInFlight(null);
                pending = f;
                pendingPairs = added.build();
                pendingIds = addedIds.stream().mapToLong(Long::longValue).toArray();
                pendingUids = addedUids.stream().mapToLong(Long::longValue).toArray();
                pendingCount = progress[0];
                pendingBytes = progress[1];
            } finally {
                f.close(); // skipped items keep what they need (the subject) already
            }
        }

        /** Writes the held checkpoint (with the next chunk's in-flight record if the state has one). */
        void flush() {
            if (pending == null) {
                return;
            }
            Fetched done = pending;
            UidMap pairs = pendingPairs;
            long[] ids = pendingIds;
            long[] uids = pendingUids;
            pending = null; // written once or never: after a failed write the stored in-flight record stands
            pendingPairs = UidMap.EMPTY;
            pendingIds = Fetched.NO_IDS;
            pendingUids = Fetched.NO_IDS;
            checkpoint(pairs, done.skipped, ids, uids);
            copied += pendingCount;
            skippedCount += done.skipped.size();
            pass.copied(pendingCount, pendingBytes);
            pass.skipped(done.skipped);
        }

        /**
         * On a failure: a held checkpoint is written if the state still says nothing is in flight
         * (its chunk's messages are stored and their UIDs known); otherwise the stored in-flight
         * record stands and the next pass resolves it by fingerprint.
         */
        void discard() {
            if (pending != null && state.inFlight() == null) {
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.debug("User {}: folder '{}': checkpoint after a failure not written: {}", email, sourceFolder,
                            e.toString());
                }
            }
            pending = null;
        }
    }

    private InFlightAppend inFlight(List<MessageInfo> readable) {
        List<Long> uids = new ArrayList<>(readable.size());
        for (MessageInfo m : readable) {
            uids.add(m.uid());
        }
        return new InFlightAppend(uids, targetUidValidity, Math.max(0, nextTargetUid));
    }

    /**
     * Records the fetched messages as in flight (unless {@code recorded}: the caller wrote the
     * record with the previous checkpoint), appends them, and collects the pairs of those stored
     * (into {@code added}), the cross-folder identities of those stored when duplicates are skipped
     * (into {@code addedIds}, with their target UIDs, 0 if not reported, into {@code addedUids}) and
     * the refusals (into {@code skipped}).
     *
     * @return messages and bytes copied
     */
    private long[] append(List<MessageInfo> fetched, Map<Long, MessageBuffer> buffers, List<SkippedItem> skipped,
                          UidMap.Builder added, List<Long> addedIds, List<Long> addedUids, boolean recorded) {
        if (fetched.isEmpty()) {
            return new long[] {0, 0};
        }
        List<AppendRequest> requests = new ArrayList<>(fetched.size());
        for (MessageInfo m : fetched) {
            requests.add(new AppendRequest(m.flags(), m.internalDate(), buffers.get(m.uid())));
        }
        if (!recorded) {
            if (nextTargetUid <= 0) {
                FolderStatus now = dst.selectFolder(targetFolder);
                nextTargetUid = now.uidNext();
                targetUidValidity = now.uidValidity();
            }
            state = state.withInFlight(inFlight(fetched));
            checkpoint(UidMap.EMPTY, List.of());
        }

        List<AppendResult> results = dst.append(targetFolder, requests);
        if (results.size() != requests.size()) {
            throw new IllegalStateException("connector returned " + results.size() + " results for "
                    + requests.size() + " messages");
        }
        long count = 0;
        long bytes = 0;
        boolean allUidsKnown = true;
        long highestTargetUid = 0;
        for (int i = 0; i < results.size(); i++) {
            AppendResult r = results.get(i);
            MessageInfo m = fetched.get(i);
            if (r.stored()) {
                if (r.uidValidity() != 0 && state.targetUidValidity() == 0) {
                    state = state.withProgress(state.highestUid(), state.uidMap(), r.uidValidity());
                }
                added.put(m.uid(), r.uid());
                if (copiedIds != null && m.crossFolderId() != 0) {
                    addedIds.add(m.crossFolderId());
                    addedUids.add(r.uid());
                }
                allUidsKnown &= r.uid() > 0;
                highestTargetUid = Math.max(highestTargetUid, r.uid());
                count++;
                bytes += buffers.get(m.uid()).size();
            } else {
                skipped.add(skippedItem(m, buffers.get(m.uid()), r.isTooLarge() ? SkippedItemKind.LARGE_ITEM
                        : SkippedItemKind.REFUSED_BY_TARGET, "The target refused the message: " + r.error()));
            }
        }
        // The next append's UIDs are above these (RFC 3501 section 2.3.1.1); without them, ask again.
        nextTargetUid = allUidsKnown ? Math.max(nextTargetUid, highestTargetUid + 1) : 0;
        return new long[] {count, bytes};
    }

    /** Saves the current values with pairs and skipped items in one unit of work. */
    private void checkpoint(UidMap added, List<SkippedItem> skipped) {
        store.saveFolderCheckpoint(batchName, FolderCheckpoint.of(state, added), skipped);
    }

    /**
     * Saves the current values with pairs, skipped items and the cross-folder identities of the
     * messages now on the target (with their target UIDs, 0 where unknown) in one unit of work,
     * then counts the identities as copied.
     */
    private void checkpoint(UidMap added, List<SkippedItem> skipped, long[] ids, long[] targetUids) {
        if (ids.length == 0 || copiedIds == null) {
            checkpoint(added, skipped);
            return;
        }
        if (copiedIds.persistent()) {
            store.saveFolderCheckpoint(batchName, FolderCheckpoint.of(state, added), skipped, ids, targetUids);
        } else {
            checkpoint(added, skipped);
        }
        copiedIds.add(ids, targetFolder, targetUids);
    }

    // ---------------------------------------------------------------------------------------------
    // Labels

    /**
     * Label adds the reader collected for one chunk or page end: per first-copy target folder
     * (index of {@link #copiedIds}) its UIDs and the source messages they stand for.
     */
    private static final class LabelWork {
        final Map<Integer, List<Long>> uidsByFolder = new LinkedHashMap<>();
        final Map<Integer, List<MessageInfo>> messagesByFolder = new LinkedHashMap<>();
        /** Duplicates whose first copy's place is not known. */
        long unknown;
    }

    /** Notes (on the reader thread) that message {@code m}'s first copy should appear in this folder too. */
    private LabelWork noteLabel(LabelWork work, MessageInfo m) {
        LabelWork w = work != null ? work : new LabelWork();
        long at = copiedIds.location(m.crossFolderId());
        if (at == CopiedIdentities.UNKNOWN) {
            w.unknown++;
            return w;
        }
        int folder = CopiedIdentities.folderOf(at);
        if (folder == labelFolderIndex) {
            return w; // its first copy is in this very target folder
        }
        w.uidsByFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(CopiedIdentities.uidOf(at));
        w.messagesByFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(m);
        return w;
    }

    /**
     * Makes the first copies appear in this folder's target folder: one
     * {@link TargetMailbox#addLabels} per first-copy folder.
     *
     * @return a skipped item per message whose label the target refused
     */
    private List<SkippedItem> addLabels(LabelWork work) {
        if (work == null) {
            return new ArrayList<>();
        }
        unlabelled += work.unknown;
        List<SkippedItem> refused = new ArrayList<>();
        for (Map.Entry<Integer, List<Long>> e : work.uidsByFolder.entrySet()) {
            List<MessageInfo> messages = work.messagesByFolder.get(e.getKey());
            if (!labels) {
                unlabelled += messages.size();
                continue;
            }
            String firstFolder = copiedIds.folder(e.getKey());
            List<Long> uids = e.getValue();
            pass.checkInterrupted();
            try {
                dst.addLabels(firstFolder, uids, targetFolder);
                labelsAdded += uids.size();
            } catch (io.mailferry.core.spi.ConnectorException x) {
                if (x.kind() != io.mailferry.core.spi.ConnectorException.Kind.REFUSED
                        && x.kind() != io.mailferry.core.spi.ConnectorException.Kind.FOLDER_NOT_FOUND) {
                    throw x; // connection, throttling, quota: as any other failure of the pass
                }
                for (MessageInfo m : messages) {
                    refused.add(skippedItem(m, null, SkippedItemKind.LABEL_NOT_ADDED, "The message was copied into"
                            + " target folder '" + firstFolder + "'; the target refused to show it in '" + targetFolder
                            + "' too: " + x.getMessage()));
                }
            } catch (UnsupportedOperationException x) {
                LOG.warn("User {}: the target reports {} but cannot show a message in several folders ({}): messages"
                        + " under several labels appear in the first folder only", email,
                        ConnectorCapability.FOLDER_LABELS, x.getMessage());
                labels = false;
                unlabelled += messages.size();
            }
        }
        return refused;
    }

    private SkippedItem skippedItem(MessageInfo m, MessageBuffer content, SkippedItemKind kind, String reason) {
        String subject = content == null ? null : HeaderPeek.subject(content);
        return new SkippedItem(email, sourceFolder, m.uid(), subject, m.internalDate(), m.size(), kind, reason,
                pass.engine().now());
    }

    // ---------------------------------------------------------------------------------------------
    // Flags

    /**
     * Brings the target flags of messages copied before this pass (or found on the target) up to
     * date with the source.
     */
    private void syncFlags(long upToUid, long changedSince, FolderStatus target) {
        if (state.targetUidValidity() != 0 && target.uidValidity() != state.targetUidValidity()) {
            return;
        }
        UidMap known = state.uidMap();
        if (known.isEmpty()) {
            return;
        }
        pass.checkInterrupted();
        Map<Long, MessageFlags> sourceFlags = src.fetchFlags(sourceFolder, 1, upToUid, changedSince);
        Map<Long, Long> targetUidOf = new HashMap<>();
        for (Map.Entry<Long, MessageFlags> e : sourceFlags.entrySet()) {
            long t = known.targetUid(e.getKey());
            if (t > 0) {
                targetUidOf.put(e.getKey(), t);
            }
        }
        if (targetUidOf.isEmpty()) {
            return;
        }
        Map<Long, MessageFlags> targetFlags = dst.fetchFlags(targetFolder, targetUidOf.values());
        List<FlagUpdate> updates = new ArrayList<>();
        for (Map.Entry<Long, Long> e : targetUidOf.entrySet()) {
            MessageFlags want = sourceFlags.get(e.getKey());
            MessageFlags have = targetFlags.get(e.getValue());
            if (have == null || want.equals(have)) {
                continue;
            }
            updates.add(new FlagUpdate(e.getValue(), want.minus(have), have.minus(want)));
        }
        if (!updates.isEmpty()) {
            dst.updateFlags(targetFolder, updates);
            flagsUpdated += updates.size();
            pass.flagsUpdated(updates.size());
        }
    }
}
