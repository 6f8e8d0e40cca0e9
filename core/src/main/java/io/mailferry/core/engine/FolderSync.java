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

    /** The checkpoint's values; its map holds the pairs known when the pass began, plus those found on the target. */
    private FolderSyncState state;
    /** The current target folder's UIDVALIDITY. */
    private long targetUidValidity;
    /** A lower bound of the next target UID an append gets, or 0 if unknown (then the folder is selected again). */
    private long nextTargetUid;
    private long copied;
    private long skippedCount;
    private long flagsUpdated;

    FolderSync(UserSync pass, SourceMailbox src, TargetMailbox dst, String sourceFolder, String targetFolder) {
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
    }

    void run() {
        FolderStatus source = src.selectFolder(sourceFolder);
        pass.folderSeen(source.messageCount(), 0);
        String key = pass.user().mailboxKey();
        FolderSyncState saved = store.folderState(key, sourceFolder).orElse(null);
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

    private void copyNew() {
        long after = state.highestUid();
        while (true) {
            pass.checkInterrupted();
            List<MessageInfo> page = src.listMessages(sourceFolder, after, settings.listPageSize());
            if (page.isEmpty()) {
                return;
            }
            List<MessageInfo> chunk = new ArrayList<>();
            List<SkippedItem> skipped = new ArrayList<>();
            long chunkBytes = 0;
            long filtered = 0;
            for (MessageInfo m : page) {
                if (m.uid() <= after || state.uidMap().containsSource(m.uid())) {
                    continue; // already on the target
                }
                if (!options.receivedInRange(m.internalDate())) {
                    filtered++; // outside the received-date filter: passed over, the page-end checkpoint moves past it
                    continue;
                }
                pass.listed(m.size());
                if (options.maxMessageSize() > 0 && m.size() > options.maxMessageSize()) {
                    skipped.add(skippedItem(m, null, SkippedItemKind.LARGE_ITEM, "Message of " + m.size()
                            + " bytes is larger than the maximum message size of " + options.maxMessageSize() + " bytes"));
                    continue;
                }
                if (!chunk.isEmpty() && (chunk.size() >= settings.chunkMaxMessages()
                        || chunkBytes + m.size() > settings.chunkMaxBytes())) {
                    copyChunk(chunk, skipped);
                    chunk = new ArrayList<>();
                    skipped = new ArrayList<>();
                    chunkBytes = 0;
                    pass.checkInterrupted();
                }
                chunk.add(m);
                chunkBytes += m.size();
            }
            if (!chunk.isEmpty() || !skipped.isEmpty()) {
                copyChunk(chunk, skipped);
            }
            pass.filtered(filtered);
            long last = page.get(page.size() - 1).uid();
            if (last <= after) {
                return;
            }
            if (last > state.highestUid()) {
                // The page ended with messages already on the target: everything up to it is dealt with.
                state = state.withProgress(last, state.uidMap(), targetUidValidity());
                checkpoint(UidMap.EMPTY, List.of());
            }
            after = last;
            if (page.size() < settings.listPageSize()) {
                return;
            }
        }
    }

    /**
     * Fetches, appends and checkpoints one chunk. {@code skipped} may already hold large items.
     * The steps a pipelined copy would overlap are {@link #fetch} (source) and {@link #append}
     * (in-flight record, target, checkpoint).
     */
    private void copyChunk(List<MessageInfo> chunk, List<SkippedItem> skipped) {
        Map<Long, MessageBuffer> buffers = new LinkedHashMap<>();
        try {
            fetch(chunk, skipped, buffers);
            UidMap.Builder added = UidMap.builder();
            long[] progress = append(chunk, buffers, skipped, added);
            long highest = state.highestUid();
            for (MessageInfo m : chunk) {
                highest = Math.max(highest, m.uid());
            }
            for (SkippedItem s : skipped) {
                highest = Math.max(highest, s.sourceUid());
            }
            state = state.withProgress(highest, state.uidMap(), targetUidValidity()).withInFlight(null);
            checkpoint(added.build(), skipped);
            copied += progress[0];
            skippedCount += skipped.size();
            pass.copied(progress[0], progress[1]);
            pass.skipped(skipped);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Could not buffer messages of folder '" + sourceFolder + "': "
                    + e.getCause().getMessage(), e);
        } finally {
            buffers.values().forEach(MessageBuffer::close);
        }
    }

    /** Reads a chunk's messages from the source into buffers; those it cannot read become skipped items. */
    private void fetch(List<MessageInfo> chunk, List<SkippedItem> skipped, Map<Long, MessageBuffer> buffers) {
        if (chunk.isEmpty()) {
            return;
        }
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
        });
    }

    /**
     * Records the fetched messages as in flight, appends them, and collects the pairs of those
     * stored (into {@code added}) and the refusals (into {@code skipped}).
     *
     * @return messages and bytes copied
     */
    private long[] append(List<MessageInfo> chunk, Map<Long, MessageBuffer> buffers, List<SkippedItem> skipped,
                          UidMap.Builder added) {
        List<MessageInfo> fetched = new ArrayList<>();
        List<AppendRequest> requests = new ArrayList<>();
        List<Long> uids = new ArrayList<>();
        for (MessageInfo m : chunk) {
            MessageBuffer b = buffers.get(m.uid());
            if (b != null) {
                fetched.add(m);
                uids.add(m.uid());
                requests.add(new AppendRequest(m.flags(), m.internalDate(), b));
            }
        }
        if (requests.isEmpty()) {
            return new long[] {0, 0};
        }
        if (nextTargetUid <= 0) {
            FolderStatus now = dst.selectFolder(targetFolder);
            nextTargetUid = now.uidNext();
            targetUidValidity = now.uidValidity();
        }
        state = state.withInFlight(new InFlightAppend(uids, targetUidValidity, Math.max(0, nextTargetUid)));
        checkpoint(UidMap.EMPTY, List.of());

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
