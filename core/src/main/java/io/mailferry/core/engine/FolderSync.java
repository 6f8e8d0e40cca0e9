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
import io.mailferry.core.store.FolderSyncState;
import io.mailferry.core.store.UidMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass over one source folder:
 * <ol>
 *   <li>select the source folder; compare its UIDVALIDITY with the checkpoint;</li>
 *   <li>if UIDNEXT (or, with CONDSTORE, HIGHESTMODSEQ) shows nothing new, stop after the flag
 *       check;</li>
 *   <li>list messages above the checkpoint's highest UID, page by page; fetch and append them in
 *       chunks bounded by count and bytes; after each chunk save the checkpoint (highest UID, the
 *       source→target UID pairs and the chunk's skipped items) in one store call;</li>
 *   <li>bring the flags of messages copied in earlier passes up to date (only those changed since
 *       the checkpoint's HIGHESTMODSEQ when the source has CONDSTORE).</li>
 * </ol>
 * The source is never modified. Sync is add-only: messages deleted at the source stay on the
 * target.
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

    private FolderSyncState state;
    private UidMap.Builder map;
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
        this.options = pass.batch().options();
        this.batchName = pass.batch().name();
        this.email = pass.user().emailAddress();
    }

    void run() {
        FolderStatus source = src.selectFolder(sourceFolder);
        pass.folderSeen(source.messageCount(), 0);
        String key = pass.user().mailboxKey();
        var store = pass.engine().store();
        FolderSyncState saved = store.folderState(key, sourceFolder).orElse(null);
        if (saved != null && saved.sourceUidValidity() != source.uidValidity()) {
            LOG.warn("User {}: UIDVALIDITY of source folder '{}' changed ({} -> {}); its checkpoint no longer applies",
                    email, sourceFolder, saved.sourceUidValidity(), source.uidValidity());
            saved = null;
        }
        state = saved != null ? saved : FolderSyncState.initial(key, sourceFolder, source.uidValidity(), targetFolder);
        if (!state.targetFolder().equals(targetFolder)) {
            // The folder now maps elsewhere: keep what was copied (so it is not copied again), but
            // forget the target UIDs: they name messages of the old target folder, and applied to
            // the new one they would change the flags of unrelated messages.
            UidMap.Builder copiedOnly = UidMap.builder();
            state.uidMap().forEach((sourceUid, targetUid) -> copiedOnly.put(sourceUid, 0));
            state = new FolderSyncState(key, sourceFolder, state.sourceUidValidity(), state.highestUid(),
                    state.highestModSeq(), targetFolder, 0, copiedOnly.build(), state.lastSyncedAt());
        }
        long previousHighestUid = state.highestUid();
        boolean condstore = src.capabilities().contains(ConnectorCapability.CONDSTORE) && source.highestModSeq() > 0;
        boolean unchanged = condstore && state.highestModSeq() > 0 && source.highestModSeq() == state.highestModSeq();

        FolderStatus target = dst.selectFolder(targetFolder);
        if (state.targetUidValidity() != 0 && target.uidValidity() != state.targetUidValidity()) {
            LOG.warn("User {}: UIDVALIDITY of target folder '{}' changed; flags of earlier copies will not be updated",
                    email, targetFolder);
        }
        map = state.uidMap().toBuilder();

        boolean mayHaveNew = !unchanged && (source.uidNext() == 0 || source.uidNext() > state.highestUid() + 1);
        if (mayHaveNew && source.messageCount() > 0) {
            copyNew(target);
        }
        if (!unchanged && previousHighestUid > 0) {
            syncFlags(previousHighestUid, condstore ? state.highestModSeq() : 0, target);
        }
        state = state.withPassEnd(condstore ? source.highestModSeq() : 0, pass.engine().now());
        store.saveFolderState(batchName, state, List.of());
        pass.folderDone(sourceFolder, targetFolder, copied, skippedCount, flagsUpdated);
    }

    private void copyNew(FolderStatus target) {
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
            for (MessageInfo m : page) {
                if (m.uid() <= after) {
                    continue;
                }
                if (options.maxMessageSize() > 0 && m.size() > options.maxMessageSize()) {
                    skipped.add(skippedItem(m, null, SkippedItemKind.LARGE_ITEM, "Message of " + m.size()
                            + " bytes is larger than the maximum message size of " + options.maxMessageSize() + " bytes"));
                    continue;
                }
                if (!chunk.isEmpty() && (chunk.size() >= settings.chunkMaxMessages()
                        || chunkBytes + m.size() > settings.chunkMaxBytes())) {
                    copyChunk(chunk, skipped, target);
                    chunk = new ArrayList<>();
                    skipped = new ArrayList<>();
                    chunkBytes = 0;
                    pass.checkInterrupted();
                }
                chunk.add(m);
                chunkBytes += m.size();
            }
            if (!chunk.isEmpty() || !skipped.isEmpty()) {
                copyChunk(chunk, skipped, target);
            }
            long last = page.get(page.size() - 1).uid();
            if (last <= after) {
                return;
            }
            after = last;
            if (page.size() < settings.listPageSize()) {
                return;
            }
        }
    }

    /** Fetches, appends and checkpoints one chunk. {@code skipped} may already hold large items. */
    private void copyChunk(List<MessageInfo> chunk, List<SkippedItem> skipped, FolderStatus target) {
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
                });
            }
            List<MessageInfo> fetched = new ArrayList<>();
            List<AppendRequest> requests = new ArrayList<>();
            for (MessageInfo m : chunk) {
                MessageBuffer b = buffers.get(m.uid());
                if (b != null) {
                    fetched.add(m);
                    requests.add(new AppendRequest(m.flags(), m.internalDate(), b));
                }
            }
            long targetUidValidity = state.targetUidValidity() != 0 ? state.targetUidValidity() : target.uidValidity();
            long chunkCopied = 0;
            long chunkBytes = 0;
            if (!requests.isEmpty()) {
                List<AppendResult> results = dst.append(targetFolder, requests);
                if (results.size() != requests.size()) {
                    throw new IllegalStateException("connector returned " + results.size() + " results for "
                            + requests.size() + " messages");
                }
                for (int i = 0; i < results.size(); i++) {
                    AppendResult r = results.get(i);
                    MessageInfo m = fetched.get(i);
                    if (r.stored()) {
                        if (r.uidValidity() != 0) {
                            targetUidValidity = r.uidValidity();
                        }
                        map.put(m.uid(), r.uid());
                        chunkCopied++;
                        chunkBytes += buffers.get(m.uid()).size();
                    } else {
                        skipped.add(skippedItem(m, buffers.get(m.uid()), r.isTooLarge() ? SkippedItemKind.LARGE_ITEM
                                : SkippedItemKind.REFUSED_BY_TARGET, "The target refused the message: " + r.error()));
                    }
                }
            }
            long highest = state.highestUid();
            for (MessageInfo m : chunk) {
                highest = Math.max(highest, m.uid());
            }
            for (SkippedItem s : skipped) {
                highest = Math.max(highest, s.sourceUid());
            }
            state = state.withProgress(highest, map.build(), targetUidValidity);
            pass.engine().store().saveFolderState(batchName, state, skipped);
            copied += chunkCopied;
            skippedCount += skipped.size();
            pass.copied(chunkCopied, chunkBytes);
            pass.skipped(skipped);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("Could not buffer messages of folder '" + sourceFolder + "': "
                    + e.getCause().getMessage(), e);
        } finally {
            buffers.values().forEach(MessageBuffer::close);
        }
    }

    private SkippedItem skippedItem(MessageInfo m, MessageBuffer content, SkippedItemKind kind, String reason) {
        String subject = content == null ? null : HeaderPeek.subject(content);
        return new SkippedItem(email, sourceFolder, m.uid(), subject, m.internalDate(), m.size(), kind, reason,
                pass.engine().now());
    }

    /** Brings the target flags of messages copied before this pass up to date with the source. */
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
