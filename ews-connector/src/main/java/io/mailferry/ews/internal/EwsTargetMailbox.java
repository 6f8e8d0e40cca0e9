package io.mailferry.ews.internal;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.ews.EwsProperties;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.service.ConflictResolutionMode;
import microsoft.exchange.webservices.data.core.enumeration.service.MessageDisposition;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.enumeration.search.SortDirection;
import microsoft.exchange.webservices.data.core.response.GetItemResponse;
import microsoft.exchange.webservices.data.core.response.ServiceResponse;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.core.service.item.EmailMessage;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.property.complex.ItemId;
import microsoft.exchange.webservices.data.property.complex.MimeContent;
import microsoft.exchange.webservices.data.property.complex.StringList;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.search.ItemView;
import microsoft.exchange.webservices.data.search.filter.SearchFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An Exchange mailbox written through EWS.
 *
 * <ul>
 *   <li><b>Folders</b>: CreateFolder ({@code IPF.Note}), parents first; the inbox is {@code INBOX}.</li>
 *   <li><b>Mail</b>: CreateItem ({@code SaveOnly}) with the MIME content and, set in the same
 *       request, PidTagMessageFlags (read, and unsent only for {@code \Draft}: otherwise Exchange
 *       would show the item as a draft), PidTagMessageDeliveryTime (the INTERNALDATE, so the
 *       received time survives), flag status, last verb and categories (see {@link EwsFlags}), and
 *       MailFerry's source identity ({@link Props#SOURCE_ID}). Batched by count and bytes; each
 *       batch reserves memory; a message refused by the server (e.g. {@code ErrorMessageSizeExceeded})
 *       is a refused result with the server's reason.</li>
 *   <li><b>Idempotence</b>: before the first append to a folder the session reads the source
 *       identities of the items MailFerry created there; a message whose identity is found is not
 *       created again (as many times as the identity occurs, so two identical source messages
 *       stay two). A request whose answer was lost is not repeated: the next pass finds what it
 *       created.</li>
 *   <li><b>ExportItems streams</b> ({@link ExportEnvelope}) are stored with UploadItems.</li>
 *   <li><b>UIDs</b> are the created items' article numbers, read back after each batch
 *       ({@link ConnectorCapability#UIDPLUS}).</li>
 * </ul>
 */
public final class EwsTargetMailbox extends EwsSession implements TargetMailbox {
    private static final Logger LOG = LoggerFactory.getLogger(EwsTargetMailbox.class);

    private static final PropertySet UID_ONLY = new PropertySet(BasePropertySet.IdOnly, Props.ARTICLE_NUMBER);
    private static final PropertySet TAGS = new PropertySet(BasePropertySet.IdOnly, Props.ARTICLE_NUMBER,
            Props.SOURCE_ID);

    /** Per folder id: source identity → UIDs of items created by an earlier session, not yet matched. */
    private final Map<String, Map<String, Deque<Long>>> existing = new HashMap<>();
    /** Folders this session created, whose class an ExportItems stream may still set. */
    private final Set<String> createdFolders = new HashSet<>();

    /**
     * @param client the session's connection
     */
    public EwsTargetMailbox(EwsClient client) {
        super(client);
    }

    /**
     * With {@code ews.itemTransfer=export} (Exchange to Exchange) every folder is listed and
     * created as named; otherwise only mail folders are listed, and a mail folder whose name is that
     * of one of Exchange's calendar, contacts, tasks… folders becomes {@code <name> (mail)}.
     */
    @Override
    boolean includeNonMail() {
        return settings.exportItems();
    }

    /**
     * Translates a folder name the engine uses into the target's: each level that names an existing
     * non-mail folder becomes that folder's name plus {@link #MAIL_SUFFIX} (not with ExportItems
     * transfer, where non-mail folders are targets themselves).
     */
    String translate(String name) {
        if (settings.exportItems()) {
            return name;
        }
        if (tree == null) {
            listFolders();
        }
        var existing = tree.find(name);
        if (existing.isPresent() && existing.get().info().selectable()) {
            return name;
        }
        String[] segments = name.split(String.valueOf(FolderTree.SEPARATOR), -1);
        String parentId = tree.rootId();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            if (i > 0) {
                out.append(FolderTree.SEPARATOR);
            }
            if (i == 0 && seg.equalsIgnoreCase("INBOX")) {
                out.append("INBOX");
                parentId = tree.inboxId();
                continue;
            }
            String displayName = seg.replace(FolderTree.SLASH_IN_NAME, FolderTree.SEPARATOR);
            var child = tree.child(parentId, displayName);
            if (child.isPresent() && !FolderTree.isMail(child.get().folderClass())) {
                String alias = child.get().displayName() + MAIL_SUFFIX;
                out.append(alias.replace(FolderTree.SEPARATOR, FolderTree.SLASH_IN_NAME));
                child = tree.child(parentId, alias);
            } else {
                out.append(seg);
            }
            if (child.isEmpty()) {
                // the rest does not exist yet: no further folder to collide with
                for (int k = i + 1; k < segments.length; k++) {
                    out.append(FolderTree.SEPARATOR).append(segments[k]);
                }
                return out.toString();
            }
            parentId = child.get().id();
        }
        return out.toString();
    }

    @Override
    FolderTree.Listed resolve(String name) {
        return super.resolve(translate(name));
    }

    @Override
    public Set<ConnectorCapability> capabilities() {
        return EnumSet.of(ConnectorCapability.UIDPLUS, ConnectorCapability.SPECIAL_USE, ConnectorCapability.BINARY);
    }

    @Override
    public FolderStatus selectFolder(String folder) {
        FolderTree.Listed listed = resolve(folder);
        return new FolderStatus(uidValidity(listed.id()), 0, totalCount(listed), 0, true);
    }

    @Override
    public void createFolder(String name) {
        if (tree == null) {
            listFolders();
        }
        String folder = translate(name);
        if (tree.find(folder).isPresent()) {
            return;
        }
        if (!folder.equals(name)) {
            LOG.info("Mailbox {}: folder '{}' is created as '{}' (Exchange's folder of that name holds no mail)",
                    settings.mailbox(), name, folder);
        }
        String[] segments = folder.split(String.valueOf(FolderTree.SEPARATOR), -1);
        String parentId = tree.rootId();
        StringBuilder path = new StringBuilder();
        boolean created = false;
        for (int i = 0; i < segments.length; i++) {
            String seg = segments[i];
            if (seg.isEmpty()) {
                continue;
            }
            if (path.length() > 0) {
                path.append(FolderTree.SEPARATOR);
            }
            path.append(seg);
            if (i == 0 && seg.equalsIgnoreCase("INBOX")) {
                parentId = tree.inboxId();
                continue;
            }
            String displayName = seg.replace(FolderTree.SLASH_IN_NAME, FolderTree.SEPARATOR);
            var child = tree.child(parentId, displayName);
            if (child.isPresent()) {
                parentId = child.get().id();
                continue;
            }
            String parent = parentId;
            String what = "CreateFolder '" + path + "'";
            String newId;
            try {
                newId = client.callOrFault(what, false, 0, service -> {
                    Folder f = new Folder(service);
                    f.setDisplayName(displayName);
                    f.setFolderClass("IPF.Note");
                    f.save(Ids.folder(parent));
                    return f.getId().getUniqueId();
                });
            } catch (EwsClient.FaultException e) {
                if (!"ErrorFolderExists".equals(e.fault().code())) {
                    throw e.fault().toException(what, e.getCause());
                }
                listFolders();
                newId = tree.child(parent, displayName).map(FolderTree.Node::id).orElseThrow(
                        () -> e.fault().toException(what, e.getCause()));
            }
            createdFolders.add(newId);
            parentId = newId;
            created = true;
        }
        if (created) {
            listFolders();
        }
    }

    @Override
    public List<AppendResult> append(String folder, List<AppendRequest> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        FolderTree.Listed listed = resolve(folder);
        if (!FolderTree.isMail(listed.folderClass()) && !isEnvelope(messages.get(0))) {
            listed = mailFolder(listed);
        }
        long uidValidity = uidValidity(listed.id());
        Map<String, Deque<Long>> earlier = settings.matchExisting() ? earlierCopies(listed) : null;
        AppendResult[] results = new AppendResult[messages.size()];
        List<Pending> batch = new ArrayList<>();
        long batchBytes = 0;
        MemoryBudget budget = client.budget();
        for (int i = 0; i < messages.size(); i++) {
            AppendRequest r = messages.get(i);
            long weight = weight(r.content().size());
            if (!budget.fits(weight)) {
                client.counters().largeItems.increment();
                results[i] = AppendResult.refused("message of " + r.content().size() + " bytes needs about " + weight
                        + " bytes of memory to be sent through EWS, more than the budget of " + budget.capacity()
                        + " bytes (" + EwsProperties.MAX_BYTES_IN_FLIGHT + ")");
                continue;
            }
            byte[] bytes;
            try (InputStream in = r.content().openStream()) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                results[i] = AppendResult.refused("cannot read the message: " + e.getMessage());
                continue;
            }
            String tag = sourceId(bytes, r);
            if (earlier != null) {
                Deque<Long> uids = earlier.get(tag);
                if (uids != null && !uids.isEmpty()) {
                    client.counters().itemsMatched.increment();
                    results[i] = AppendResult.stored(uids.pollFirst(), uidValidity);
                    continue;
                }
            }
            if (!batch.isEmpty() && (batch.size() >= settings.appendBatchItems()
                    || batchBytes + bytes.length > settings.appendBatchBytes()
                    || !budget.fits(weight(batchBytes + bytes.length)))) {
                store(listed, batch, results, uidValidity);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(new Pending(i, r, bytes, tag));
            batchBytes += bytes.length;
        }
        if (!batch.isEmpty()) {
            store(listed, batch, results, uidValidity);
        }
        return List.of(results);
    }

    private static long weight(long size) {
        return Math.max(1, size) * EwsProperties.MEMORY_FACTOR + 64 * 1024;
    }

    private static boolean isEnvelope(AppendRequest r) {
        try (InputStream in = r.content().openStream()) {
            return ExportEnvelope.isEnvelope(in.readNBytes(64));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * With ExportItems transfer, MIME messages (not envelopes) for a calendar, contacts… folder go
     * to the mail folder {@code <name> (mail)} next to it, created when missing.
     */
    private FolderTree.Listed mailFolder(FolderTree.Listed nonMail) {
        String alias = nonMail.info().name() + MAIL_SUFFIX;
        var found = tree.find(alias);
        if (found.isPresent()) {
            return found.get();
        }
        LOG.info("Mailbox {}: mail for the {} folder '{}' goes to '{}'", settings.mailbox(), nonMail.folderClass(),
                nonMail.info().name(), alias);
        createFolder(alias);
        return super.resolve(alias);
    }

    /** What a mail folder next to a non-mail folder of the same name is called. */
    static final String MAIL_SUFFIX = " (mail)";

    /** One message waiting to be created. */
    private record Pending(int index, AppendRequest request, byte[] bytes, String tag) {
    }

    /**
     * The source identity MailFerry tags a created item with: the SHA-256 of the bytes and the
     * INTERNALDATE (the SPI gives a target nothing else that survives lost migration state).
     */
    static String sourceId(byte[] bytes, AppendRequest r) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            return "sha256:" + sha + "/" + (r.internalDate() == null ? "-" : r.internalDate().getEpochSecond());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the source identities of items created earlier in a folder (once per session). */
    private Map<String, Deque<Long>> earlierCopies(FolderTree.Listed listed) {
        Map<String, Deque<Long>> found = existing.get(listed.id());
        if (found != null) {
            return found;
        }
        Map<String, Deque<Long>> map = new HashMap<>();
        int offset = 0;
        while (true) {
            int from = offset;
            FindItemsResults<Item> r = client.call("FindItem (earlier copies) in '" + listed.info().name() + "'",
                    true, 0, service -> {
                        ItemView view = new ItemView(FIND_PAGE, from);
                        view.getOrderBy().add(Props.ARTICLE_NUMBER, SortDirection.Ascending);
                        view.setPropertySet(TAGS);
                        return service.findItems(Ids.folder(listed.id()), new SearchFilter.Exists(Props.SOURCE_ID),
                                view);
                    });
            for (Item i : r.getItems()) {
                Object tag = Props.get(i, Props.SOURCE_ID);
                int uid = Props.getInt(i, Props.ARTICLE_NUMBER, 0);
                if (tag instanceof String t && uid > 0) {
                    map.computeIfAbsent(t, k -> new ArrayDeque<>()).add(uid & 0xffffffffL);
                }
            }
            if (!r.isMoreAvailable() || r.getItems().isEmpty()) {
                break;
            }
            offset = r.getNextPageOffset() != null ? r.getNextPageOffset() : offset + r.getItems().size();
        }
        existing.put(listed.id(), map);
        return map;
    }

    /** Creates one batch (CreateItem or UploadItems) and reads the new items' UIDs. */
    private void store(FolderTree.Listed listed, List<Pending> batch, AppendResult[] results, long uidValidity) {
        List<Pending> mime = new ArrayList<>();
        List<Pending> uploads = new ArrayList<>();
        List<ExportEnvelope.Envelope> envelopes = new ArrayList<>();
        for (Pending p : batch) {
            var env = ExportEnvelope.unwrap(p.bytes());
            if (env.isPresent()) {
                uploads.add(p);
                envelopes.add(env.get());
            } else {
                mime.add(p);
            }
        }
        Map<Integer, String> created = new TreeMap<>();
        if (!mime.isEmpty()) {
            createItems(listed, mime, results, created);
        }
        if (!uploads.isEmpty()) {
            uploadItems(listed, uploads, envelopes, results, created);
        }
        if (created.isEmpty()) {
            return;
        }
        List<Integer> order = new ArrayList<>(created.keySet());
        List<ItemId> ids = new ArrayList<>();
        for (int index : order) {
            ids.add(Ids.item(created.get(index)));
        }
        var rs = client.call("GetItem (UIDs) in '" + listed.info().name() + "'", true, 0,
                service -> service.bindToItems(ids, UID_ONLY));
        int k = 0;
        for (GetItemResponse r : rs) {
            int index = order.get(k++);
            long uid = r.getResult() == ServiceResult.Error || r.getItem() == null ? 0
                    : Props.getInt(r.getItem(), Props.ARTICLE_NUMBER, 0) & 0xffffffffL;
            results[index] = AppendResult.stored(uid, uid > 0 ? uidValidity : 0);
        }
    }

    private void createItems(FolderTree.Listed listed, List<Pending> mime, AppendResult[] results,
                             Map<Integer, String> created) {
        long bytes = mime.stream().mapToLong(p -> p.bytes().length).sum();
        List<Pending> pending = mime;
        String what = "CreateItem in '" + listed.info().name() + "'";
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            List<Pending> current = pending;
            List<Item> items = new ArrayList<>();
            List<ServiceResponse> responses;
            try {
                responses = client.callOrFault(what, false, weight(bytes), service -> {
                    items.clear();
                    for (Pending p : current) {
                        items.add(message(service, p));
                    }
                    var rs = service.createItems(items, Ids.folder(listed.id()), MessageDisposition.SaveOnly, null);
                    List<ServiceResponse> out = new ArrayList<>();
                    rs.forEach(out::add);
                    return out;
                });
            } catch (EwsClient.FaultException e) {
                throw e.fault().toException(what, e.getCause());
            }
            List<Pending> again = new ArrayList<>();
            EwsFault throttled = null;
            for (int i = 0; i < current.size(); i++) {
                Pending p = current.get(i);
                ServiceResponse r = i < responses.size() ? responses.get(i) : null;
                if (r != null && r.getResult() != ServiceResult.Error) {
                    try {
                        created.put(p.index(), items.get(i).getId().getUniqueId());
                        client.counters().itemsCreated.increment();
                        client.counters().bytesCreated.add(p.bytes().length);
                    } catch (Exception e) {
                        results[p.index()] = AppendResult.refused("the server did not return the new item's id");
                    }
                    continue;
                }
                EwsFault f = r == null ? EwsFault.fromCode("ErrorInternalServerError", "no answer for the item", null)
                        : EwsFault.fromCode(String.valueOf(r.getErrorCode()), r.getErrorMessage(), null);
                if (f.notProcessed()) {
                    again.add(p);
                    throttled = f;
                } else {
                    client.counters().itemErrors.increment();
                    results[p.index()] = AppendResult.refused(f.message());
                }
            }
            if (again.isEmpty()) {
                return;
            }
            var delay = client.retryPolicy().delay(throttled, attempt);
            if (delay.isEmpty()) {
                for (Pending p : again) {
                    results[p.index()] = AppendResult.refused(throttled.message());
                }
                return;
            }
            client.waitBeforeRetry(what, throttled, delay.get(), attempt);
            pending = again;
        }
    }

    /** Builds the message to create: MIME plus the properties that carry flags, date and identity. */
    private static EmailMessage message(ExchangeService service, Pending p) throws Exception {
        EmailMessage m = new EmailMessage(service);
        m.setMimeContent(new MimeContent("UTF-8", p.bytes()));
        EwsFlags.ItemFlags f = EwsFlags.fromImap(p.request().flags());
        m.setExtendedProperty(Props.MESSAGE_FLAGS, f.messageFlags());
        if (p.request().internalDate() != null) {
            m.setExtendedProperty(Props.DELIVERY_TIME, Date.from(p.request().internalDate()));
        }
        if (f.flagStatus() != 0) {
            m.setExtendedProperty(Props.FLAG_STATUS, f.flagStatus());
        }
        if (f.lastVerb() != 0) {
            m.setExtendedProperty(Props.LAST_VERB, f.lastVerb());
            m.setExtendedProperty(Props.ICON_INDEX, f.iconIndex());
        }
        if (!f.categories().isEmpty()) {
            m.setCategories(new StringList(f.categories()));
        }
        if (f.extras() != null) {
            m.setExtendedProperty(Props.IMAP_FLAGS, f.extras());
        }
        m.setExtendedProperty(Props.SOURCE_ID, p.tag());
        m.setIsRead(f.read());
        return m;
    }

    private void uploadItems(FolderTree.Listed listed, List<Pending> uploads, List<ExportEnvelope.Envelope> envelopes,
                             AppendResult[] results, Map<Integer, String> created) {
        adoptFolderClass(listed, envelopes);
        long bytes = uploads.stream().mapToLong(p -> p.bytes().length).sum();
        List<UploadItemsRequest.Item> items = new ArrayList<>();
        for (ExportEnvelope.Envelope e : envelopes) {
            items.add(new UploadItemsRequest.Item(listed.id(), UploadItemsRequest.CreateAction.CreateNew, null, null,
                    e.data()));
        }
        String what = "UploadItems in '" + listed.info().name() + "'";
        var rs = client.call(what, false, weight(bytes),
                service -> new UploadItemsRequest(service, items).execute());
        List<Item> tag = new ArrayList<>();
        int i = 0;
        for (UploadItemsResponse r : rs) {
            Pending p = uploads.get(i++);
            if (r.getResult() == ServiceResult.Error || r.itemId() == null) {
                client.counters().itemErrors.increment();
                results[p.index()] = AppendResult.refused(String.valueOf(r.getErrorCode()) + ": " + r.getErrorMessage());
                continue;
            }
            created.put(p.index(), r.itemId());
            client.counters().itemsCreated.increment();
            client.counters().bytesCreated.add(p.bytes().length);
        }
        // tag the uploaded items with their source identity, as CreateItem does in one go
        if (!created.isEmpty()) {
            client.call("UpdateItem (source identity) in '" + listed.info().name() + "'", true, 0, service -> {
                tag.clear();
                for (Pending p : uploads) {
                    String id = created.get(p.index());
                    if (id != null) {
                        Item item = Item.bind(service, Ids.item(id), new PropertySet(BasePropertySet.IdOnly));
                        item.setExtendedProperty(Props.SOURCE_ID, p.tag());
                        tag.add(item);
                    }
                }
                service.updateItems(tag, null, ConflictResolutionMode.AlwaysOverwrite, MessageDisposition.SaveOnly,
                        null);
                return null;
            });
        }
    }

    /**
     * A folder this session created for ExportItems streams of a non-mail folder gets that
     * folder's class (IPF.Appointment…), while it is still empty, so that clients show it as a
     * calendar, contacts or tasks folder.
     */
    private void adoptFolderClass(FolderTree.Listed listed, List<ExportEnvelope.Envelope> envelopes) {
        String wanted = envelopes.get(0).folderClass();
        if (wanted == null || wanted.equalsIgnoreCase(listed.folderClass()) || !createdFolders.contains(listed.id())) {
            return;
        }
        client.call("UpdateFolder (class) '" + listed.info().name() + "'", true, 0, service -> {
            Folder f = Folder.bind(service, Ids.folder(listed.id()));
            if (f.getTotalCount() == 0) {
                f.setFolderClass(wanted);
                f.update();
            }
            return null;
        });
        createdFolders.remove(listed.id());
        LOG.info("Mailbox {}: folder '{}' is now a {} folder", settings.mailbox(), listed.info().name(), wanted);
    }

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, Collection<Long> uids) {
        Map<Long, MessageFlags> out = new TreeMap<>();
        if (uids.isEmpty()) {
            return out;
        }
        FolderTree.Listed listed = resolve(folder);
        Set<Long> wanted = new HashSet<>(uids);
        long min = uids.stream().mapToLong(Long::longValue).min().orElse(1);
        long max = uids.stream().mapToLong(Long::longValue).max().orElse(1);
        for (Item i : findByUid(listed, min, Math.min(max, 0xffffffffL), Integer.MAX_VALUE, LISTING)) {
            long uid = uid(i, listed);
            if (wanted.contains(uid)) {
                out.put(uid, EwsFlags.toImap(itemFlags(i)));
            }
        }
        return out;
    }

    @Override
    public void updateFlags(String folder, List<FlagUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        FolderTree.Listed listed = resolve(folder);
        Map<Long, FlagUpdate> byUid = new HashMap<>();
        for (FlagUpdate u : updates) {
            byUid.put(u.uid(), u);
        }
        long min = byUid.keySet().stream().mapToLong(Long::longValue).min().orElse(1);
        long max = byUid.keySet().stream().mapToLong(Long::longValue).max().orElse(1);
        List<Item> changed = new ArrayList<>();
        for (Item i : findByUid(listed, min, max, Integer.MAX_VALUE, LISTING)) {
            FlagUpdate u = byUid.get(uid(i, listed));
            if (u == null) {
                continue;
            }
            MessageFlags have = EwsFlags.toImap(itemFlags(i));
            java.util.TreeSet<String> want = new java.util.TreeSet<>(have.flags());
            want.addAll(u.add().flags());
            want.removeAll(u.remove().flags());
            if (want.equals(have.flags())) {
                continue;
            }
            try {
                apply(i, EwsFlags.fromImap(MessageFlags.of(want)));
            } catch (Exception e) {
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "cannot change the flags of an item in '"
                        + folder + "': " + e.getMessage(), e);
            }
            changed.add(i);
        }
        for (int from = 0; from < changed.size(); from += 100) {
            List<Item> batch = changed.subList(from, Math.min(changed.size(), from + 100));
            var rs = client.call("UpdateItem (flags) in '" + folder + "'", true, 0, service -> service.updateItems(batch,
                    null, ConflictResolutionMode.AlwaysOverwrite, MessageDisposition.SaveOnly, null));
            for (var r : rs) {
                if (r.getResult() == ServiceResult.Error) {
                    LOG.warn("Mailbox {}: flags of an item in '{}' not updated: {} {}", settings.mailbox(), folder,
                            r.getErrorCode(), r.getErrorMessage());
                }
            }
        }
    }

    /** Sets the flag properties of a loaded item ({@code \Draft} cannot change after creation). */
    private static void apply(Item item, EwsFlags.ItemFlags f) throws Exception {
        if (item instanceof EmailMessage m) {
            m.setIsRead(f.read());
        }
        item.setExtendedProperty(Props.FLAG_STATUS, f.flagStatus());
        item.setExtendedProperty(Props.LAST_VERB, f.lastVerb());
        item.setExtendedProperty(Props.ICON_INDEX, f.iconIndex());
        boolean hadCategories = item.getPropertyBag().contains(
                microsoft.exchange.webservices.data.core.service.schema.ItemSchema.Categories)
                && item.getCategories() != null && item.getCategories().getSize() > 0;
        if (!f.categories().isEmpty()) {
            item.setCategories(new StringList(f.categories()));
        } else if (hadCategories) {
            item.setCategories(null);
        }
        if (f.extras() != null) {
            item.setExtendedProperty(Props.IMAP_FLAGS, f.extras());
        } else if (Props.get(item, Props.IMAP_FLAGS) != null) {
            item.removeExtendedProperty(Props.IMAP_FLAGS);
        }
    }
}
