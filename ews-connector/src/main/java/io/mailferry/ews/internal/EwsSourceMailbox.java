package io.mailferry.ews.internal;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageHeaders;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SkippedFolder;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.ews.EwsProperties;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.response.GetItemResponse;
import microsoft.exchange.webservices.data.core.response.ServiceResponseCollection;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.core.service.schema.ItemSchema;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.property.complex.ItemId;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.ItemChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Exchange mailbox read through EWS. Never changes the mailbox.
 *
 * <ul>
 *   <li><b>UIDs</b> are Exchange's per-folder article numbers (PidTagInternetArticleNumber, the
 *       UIDs of Exchange's own IMAP service); UIDVALIDITY is derived from the FolderId.
 *       {@link #listMessages} is a FindItem with a restriction and a sort on the article number.</li>
 *   <li><b>Changes</b>: {@link #selectFolder} runs SyncFolderItems ({@code IdOnly}, at most 512
 *       changes a page) from the folder's saved SyncState and saves the new state after every page;
 *       changed items get a new MODSEQ, so the session offers {@link ConnectorCapability#CONDSTORE}
 *       and an incremental pass reads the flags of changed items only. {@code ErrorInvalidSyncStateData}
 *       starts the folder's enumeration over; since UIDs are Exchange's, nothing is copied twice.</li>
 *   <li><b>Content</b>: GetItem with MimeContent in batches bounded by count and bytes, each batch
 *       reserving memory from the budget; per-item errors become skipped items; items too large for
 *       the budget are reported as large items. With {@code ews.itemTransfer=export}, ExportItems
 *       streams instead, wrapped in {@link ExportEnvelope}s.</li>
 * </ul>
 */
public final class EwsSourceMailbox extends EwsSession implements SourceMailbox {
    private static final Logger LOG = LoggerFactory.getLogger(EwsSourceMailbox.class);

    private static final PropertySet MIME = new PropertySet(BasePropertySet.IdOnly, ItemSchema.MimeContent);
    private static final PropertySet IDS = new PropertySet(BasePropertySet.IdOnly);
    /** Messages listed per request of {@link #fetchHeaders}. */
    private static final int HEADER_PAGE = 500;
    /** {@link #LISTING} and the parent folder: an item found by its id may have moved elsewhere since. */
    private static final PropertySet LISTING_WITH_FOLDER = listing(ItemSchema.ParentFolderId);

    private static boolean inFolder(Item item, FolderTree.Listed listed) {
        try {
            return item.getParentFolderId() != null && listed.id().equals(item.getParentFolderId().getUniqueId());
        } catch (Exception e) {
            return false;
        }
    }

    private final SyncStateStore states;
    /** Per folder id: the sync data after this session's last sync. */
    private final Map<String, FolderSyncData> synced = new HashMap<>();
    /** Per folder id: UID → ItemId of items listed in this session. */
    private final Map<String, Map<Long, String>> itemIds = new HashMap<>();
    /** FolderId → the highest UID a listing of {@link #fetchHeaders} found when it reached the folder's end. */
    private final Map<String, Long> lastUidListed = new HashMap<>();
    private boolean skippedReported;

    /**
     * @param client the session's connection
     */
    public EwsSourceMailbox(EwsClient client) {
        super(client);
        this.states = client.runtime().states(settings);
    }

    @Override
    boolean includeNonMail() {
        return settings.exportItems();
    }

    /** Reports the folders left out, once per session: a log line each and the counter. */
    @Override
    void listed(FolderTree listing) {
        if (skippedReported) {
            return;
        }
        skippedReported = true;
        client.counters().foldersSkipped.add(listing.skipped().size());
        for (FolderTree.Skipped s : listing.skipped()) {
            LOG.info("Mailbox {}: folder '{}' skipped: {}", settings.mailbox(), s.name(), s.reason());
        }
    }

    /**
     * Returns the calendar, contacts, tasks, notes and journal folders the latest listing left out
     * (all of them unless {@code ews.itemTransfer=export}), with the reason and their TotalCount.
     * Not reported: hidden system folders, and empty folders (TotalCount 0; every mailbox has an
     * empty Journal and Notes folder, and nothing of them is lost). A folder whose count Exchange did
     * not give is reported. The engine records each as one skipped item, once per user and folder.
     */
    @Override
    public List<SkippedFolder> skippedFolders() {
        if (tree == null) {
            listFolders();
        }
        return tree.skipped().stream().filter(s -> !s.hidden() && s.itemCount() != 0)
                .map(s -> new SkippedFolder(s.name(), FolderTree.SEPARATOR, s.reason(), s.itemCount(), -1))
                .toList();
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return EnumSet.of(ConnectorCapability.CONDSTORE, ConnectorCapability.SPECIAL_USE, ConnectorCapability.BINARY);
    }

    @Override
    public FolderStatus selectFolder(String folder) {
        FolderTree.Listed listed = selectable(folder);
        FolderSyncData data = sync(listed);
        int total = totalCount(listed);
        return new FolderStatus(uidValidity(listed.id()), 0, total, data.highestModSeq(), true);
    }

    private FolderTree.Listed selectable(String folder) {
        FolderTree.Listed listed = resolve(folder);
        if (!listed.info().selectable()) {
            throw new ConnectorException(ConnectorException.Kind.FOLDER_NOT_FOUND, "folder '" + folder
                    + "' holds no messages that can be migrated");
        }
        return listed;
    }

    private String stateKey(FolderTree.Listed listed) {
        return settings.endpointName() + "|" + settings.mailbox().toLowerCase(java.util.Locale.ROOT) + "|"
                + listed.id();
    }

    /**
     * Brings the folder's sync data up to date with SyncFolderItems, saving it after every page.
     */
    private FolderSyncData sync(FolderTree.Listed listed) {
        String key = stateKey(listed);
        FolderSyncData data = states.load(key).orElseGet(() -> FolderSyncData.fresh(client.runtime().nextModSeq()));
        boolean baselineDone = data.syncState() != null && data.baselineComplete();
        FolderId folderId = Ids.folder(listed.id());
        String what = "SyncFolderItems of '" + listed.info().name() + "'";
        for (int pages = 0; ; pages++) {
            if (pages > 1_000_000) {
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, what + ": no end of changes");
            }
            String state = data.syncState();
            ChangeCollection<ItemChange> changes;
            try {
                changes = client.callOrFault(what, true, 0, service -> service.syncFolderItems(folderId, IDS, null,
                        settings.syncPageSize(), SyncFolderItemsScope.NormalItems, state));
            } catch (EwsClient.FaultException e) {
                if (e.fault().kind() == EwsFault.Kind.INVALID_SYNC_STATE && state != null) {
                    client.counters().syncRestarts.increment();
                    LOG.warn("Mailbox {}: Exchange rejected the SyncState of folder '{}' ({}); enumerating it again "
                                    + "from scratch (UIDs are Exchange's article numbers: nothing is copied twice)",
                            settings.mailbox(), listed.info().name(), e.fault().message());
                    data = FolderSyncData.fresh(client.runtime().nextModSeq());
                    baselineDone = false;
                    states.save(key, data);
                    continue;
                }
                throw e.fault().toException(what, e.getCause());
            }
            Map<String, Long> changed = new HashMap<>(data.changed());
            long pageModSeq = 0;
            for (ItemChange c : changes) {
                String id;
                try {
                    id = c.getItemId().getUniqueId();
                } catch (Exception e) {
                    continue;
                }
                switch (c.getChangeType()) {
                    case Delete -> changed.remove(id);
                    case Create, Update, ReadFlagChange -> {
                        if (baselineDone) {
                            if (pageModSeq == 0) {
                                pageModSeq = client.runtime().nextModSeq();
                            }
                            changed.put(id, pageModSeq);
                        }
                    }
                    default -> {
                        // no other change types for items
                    }
                }
            }
            boolean last = !changes.getMoreChangesAvailable();
            data = new FolderSyncData(changes.getSyncState(), data.baselineModSeq(),
                    Math.max(data.highestModSeq(), pageModSeq), changed, baselineDone || last);
            states.save(key, data);
            if (last) {
                break;
            }
        }
        synced.put(listed.id(), data);
        return data;
    }

    @Override
    public List<MessageInfo> listMessages(String folder, long afterUid, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        FolderTree.Listed listed = selectable(folder);
        FolderSyncData data = synced.get(listed.id());
        List<Item> items = findByUid(listed, afterUid + 1, Long.MAX_VALUE, limit, LISTING);
        Map<Long, String> ids = itemIds.computeIfAbsent(listed.id(), k -> new HashMap<>());
        List<MessageInfo> out = new ArrayList<>(items.size());
        for (Item i : items) {
            long uid = uid(i, listed);
            String id = Ids.of(i);
            ids.put(uid, id);
            long size;
            try {
                size = Math.max(0, i.getSize());
            } catch (Exception e) {
                size = 0;
            }
            long modSeq = data == null ? 0 : data.modSeqOf(id);
            out.add(new MessageInfo(uid, size, EwsFlags.toImap(itemFlags(i)), received(i), modSeq));
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads each message's MIME whole (EWS has no way to ask for a few header fields as bytes)
     * and reports <em>its length</em> as the size: Exchange's {@code item:Size}, which
     * {@link #listMessages} reports, counts the item in Exchange's store, properties included, and
     * differs from the MIME an IMAP target stores; the engine recognises copies by header fields
     * and size together.
     *
     * <p>The folder's status has no UIDNEXT (EWS has none), so the engine asks range after range up
     * to the highest possible UID; once a listing of this session reached the end of the folder,
     * ranges above it are answered without a request (a message that arrived since cannot have
     * been copied before).
     */
    @Override
    public List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("bad UID range " + fromUid + ":" + toUid);
        }
        List<MessageHeaders> out = new ArrayList<>();
        String folderId = selectable(folder).id();
        long after = fromUid - 1;
        while (after < toUid) {
            Long end = lastUidListed.get(folderId);
            if (end != null && after >= end) {
                break; // this session saw the folder end below: no request for an empty range
            }
            List<MessageInfo> listed = listMessages(folder, after, HEADER_PAGE);
            if (listed.size() < HEADER_PAGE) {
                lastUidListed.put(folderId, listed.isEmpty() ? after : listed.get(listed.size() - 1).uid());
            }
            List<MessageInfo> page = new ArrayList<>();
            for (MessageInfo m : listed) {
                if (m.uid() > after && m.uid() <= toUid) {
                    page.add(m);
                }
            }
            if (page.isEmpty()) {
                break;
            }
            fetchMessages(folder, page, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws IOException {
                    byte[] mime = content.readAllBytes();
                    out.add(MessageHeaders.extract(message.uid(), mime.length, new ByteArrayInputStream(mime),
                            fieldNames));
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    // not readable: it cannot be matched, and is reported when it is copied
                }
            });
            after = page.get(page.size() - 1).uid();
        }
        out.sort(java.util.Comparator.comparingLong(MessageHeaders::uid));
        return out;
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq) {
        FolderTree.Listed listed = selectable(folder);
        FolderSyncData data = synced.get(listed.id());
        if (data == null) {
            data = sync(listed);
        }
        Map<Long, MessageFlags> out = new TreeMap<>();
        if (changedSinceModSeq <= 0 || changedSinceModSeq < data.baselineModSeq()) {
            for (Item i : findByUid(listed, fromUid, toUid, Integer.MAX_VALUE, LISTING)) {
                out.put(uid(i, listed), EwsFlags.toImap(itemFlags(i)));
            }
            return out;
        }
        List<String> ids = new ArrayList<>();
        data.changed().forEach((id, m) -> {
            if (m > changedSinceModSeq) {
                ids.add(id);
            }
        });
        for (int from = 0; from < ids.size(); from += 100) {
            List<ItemId> batch = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + 100))) {
                batch.add(Ids.item(id));
            }
            ServiceResponseCollection<GetItemResponse> rs = client.call("GetItem (flags) in '" + folder + "'", true, 0,
                    service -> service.bindToItems(batch, LISTING_WITH_FOLDER));
            for (GetItemResponse r : rs) {
                if (r.getResult() != ServiceResult.Error && r.getItem() != null && inFolder(r.getItem(), listed)) {
                    long uid = uid(r.getItem(), listed);
                    if (uid >= fromUid && uid <= toUid) {
                        out.put(uid, EwsFlags.toImap(itemFlags(r.getItem())));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink) {
        if (messages.isEmpty()) {
            return;
        }
        FolderTree.Listed listed = selectable(folder);
        Map<Long, String> ids = idsFor(listed, messages);
        MemoryBudget budget = client.budget();
        List<MessageInfo> batch = new ArrayList<>();
        long batchBytes = 0;
        int maxItems = settings.exportItems() ? Math.min(settings.fetchBatchItems(), 100) : settings.fetchBatchItems();
        for (MessageInfo m : messages) {
            String id = ids.get(m.uid());
            if (id == null) {
                client.counters().itemErrors.increment();
                sink.failed(m, "ErrorItemNotFound: the message is no longer in the folder");
                continue;
            }
            long weight = weight(m.size());
            if (!budget.fits(weight)) {
                client.counters().largeItems.increment();
                sink.tooLarge(m, "Message of about " + m.size() + " bytes needs about " + weight
                        + " bytes of memory to be read through EWS, more than the budget of " + budget.capacity()
                        + " bytes (" + EwsProperties.MAX_BYTES_IN_FLIGHT + ", default 70% of -Xmx)");
                continue;
            }
            if (!batch.isEmpty() && (batch.size() >= maxItems || batchBytes + m.size() > settings.fetchBatchBytes()
                    || !budget.fits(weight(batchBytes + m.size())))) {
                fetchBatch(listed, batch, ids, sink);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(m);
            batchBytes += m.size();
        }
        if (!batch.isEmpty()) {
            fetchBatch(listed, batch, ids, sink);
        }
    }

    private static long weight(long size) {
        return Math.max(1, size) * EwsProperties.MEMORY_FACTOR + 64 * 1024;
    }

    /** UID → ItemId for the given messages, looking up those not listed in this session. */
    private Map<Long, String> idsFor(FolderTree.Listed listed, List<MessageInfo> messages) {
        Map<Long, String> known = itemIds.computeIfAbsent(listed.id(), k -> new HashMap<>());
        Map<Long, String> out = new HashMap<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (MessageInfo m : messages) {
            String id = known.get(m.uid());
            if (id != null) {
                out.put(m.uid(), id);
            } else {
                min = Math.min(min, m.uid());
                max = Math.max(max, m.uid());
            }
        }
        if (max > 0) {
            for (Item i : findByUid(listed, min, max, Integer.MAX_VALUE, LISTING)) {
                long uid = uid(i, listed);
                known.put(uid, Ids.of(i));
                out.putIfAbsent(uid, Ids.of(i));
            }
        }
        return out;
    }

    /** Fetches one batch, retrying items the server turned away with a throttling answer. */
    private void fetchBatch(FolderTree.Listed listed, List<MessageInfo> batch, Map<Long, String> ids, MessageSink sink) {
        List<MessageInfo> pending = batch;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<MessageInfo> again = new ArrayList<>();
            EwsFault throttled = null;
            long bytes = 0;
            for (MessageInfo m : pending) {
                bytes += m.size();
            }
            Map<MessageInfo, Fetched> results = settings.exportItems()
                    ? export(listed, pending, ids, weight(bytes))
                    : getMime(listed, pending, ids, weight(bytes));
            for (MessageInfo m : pending) {
                Fetched f = results.get(m);
                if (f == null) {
                    client.counters().itemErrors.increment();
                    sink.failed(m, "the server returned no answer for the message");
                } else if (f.content != null) {
                    client.counters().itemsFetched.increment();
                    client.counters().bytesFetched.add(f.content.length);
                    try {
                        sink.accept(m, new ByteArrayInputStream(f.content));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else if (f.fault.retryable()) {
                    again.add(m);
                    throttled = f.fault;
                } else if ("ErrorMessageSizeExceeded".equals(f.fault.code())) {
                    client.counters().largeItems.increment();
                    sink.tooLarge(m, f.fault.message());
                } else {
                    client.counters().itemErrors.increment();
                    sink.failed(m, f.fault.message());
                }
            }
            if (again.isEmpty()) {
                return;
            }
            Optional<java.time.Duration> delay = client.retryPolicy().delay(throttled, attempt);
            if (delay.isEmpty()) {
                for (MessageInfo m : again) {
                    client.counters().itemErrors.increment();
                    sink.failed(m, throttled.message() + " (still after " + attempt + " retries)");
                }
                return;
            }
            client.waitBeforeRetry("GetItem in '" + listed.info().name() + "'", throttled, delay.get(), attempt);
            pending = again;
        }
    }

    /** A fetched item's content, or why there is none. */
    private record Fetched(byte[] content, EwsFault fault) {
    }

    private Map<MessageInfo, Fetched> getMime(FolderTree.Listed listed, List<MessageInfo> batch,
                                              Map<Long, String> ids, long weight) {
        List<ItemId> itemIds = new ArrayList<>();
        for (MessageInfo m : batch) {
            itemIds.add(Ids.item(ids.get(m.uid())));
        }
        Map<MessageInfo, Fetched> out = new LinkedHashMap<>();
        client.call("GetItem (MIME) in '" + listed.info().name() + "'", true, weight, service -> {
            out.clear();
            ServiceResponseCollection<GetItemResponse> rs = service.bindToItems(itemIds, MIME);
            int i = 0;
            for (GetItemResponse r : rs) {
                MessageInfo m = batch.get(i++);
                if (r.getResult() != ServiceResult.Error && r.getItem() != null
                        && r.getItem().getMimeContent() != null && r.getItem().getMimeContent().getContent() != null) {
                    out.put(m, new Fetched(r.getItem().getMimeContent().getContent(), null));
                } else if (r.getResult() == ServiceResult.Error) {
                    out.put(m, new Fetched(null, EwsFault.fromCode(String.valueOf(r.getErrorCode()),
                            r.getErrorMessage(), backOff(r))));
                } else {
                    out.put(m, new Fetched(null, EwsFault.fromCode("ErrorMimeContentConversionFailed",
                            "the server returned the item without MIME content", null)));
                }
            }
            return null;
        });
        return out;
    }

    private Map<MessageInfo, Fetched> export(FolderTree.Listed listed, List<MessageInfo> batch,
                                             Map<Long, String> ids, long weight) {
        List<String> itemIds = new ArrayList<>();
        for (MessageInfo m : batch) {
            itemIds.add(ids.get(m.uid()));
        }
        Map<MessageInfo, Fetched> out = new LinkedHashMap<>();
        client.call("ExportItems in '" + listed.info().name() + "'", true, weight, service -> {
            out.clear();
            var rs = new ExportItemsRequest(service, itemIds).execute();
            int i = 0;
            for (ExportItemsResponse r : rs) {
                MessageInfo m = batch.get(i++);
                if (r.getResult() == ServiceResult.Error || r.data() == null) {
                    out.put(m, new Fetched(null, EwsFault.fromCode(String.valueOf(r.getErrorCode()),
                            r.getErrorMessage(), backOff(r))));
                } else if (r.truncated()) {
                    out.put(m, new Fetched(null, new EwsFault(EwsFault.Kind.TRANSIENT, "TruncatedData",
                            "ExportItems stream cut short (=== Truncated Data ===)", null)));
                } else {
                    out.put(m, new Fetched(ExportEnvelope.wrap(r.data(), listed.folderClass()), null));
                }
            }
            return null;
        });
        return out;
    }

    private static java.time.Duration backOff(microsoft.exchange.webservices.data.core.response.ServiceResponse r) {
        try {
            String v = r.getErrorDetails() == null ? null : r.getErrorDetails().get("BackOffMilliseconds");
            return v == null ? null : java.time.Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
