package io.mailferry.ews.internal;

import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MailboxSession;
import io.mailferry.core.spi.SessionObserver;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.search.LogicalOperator;
import microsoft.exchange.webservices.data.core.enumeration.search.SortDirection;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.core.service.item.EmailMessage;
import microsoft.exchange.webservices.data.core.service.item.Item;
import microsoft.exchange.webservices.data.core.service.schema.EmailMessageSchema;
import microsoft.exchange.webservices.data.core.service.schema.FolderSchema;
import microsoft.exchange.webservices.data.core.service.schema.ItemSchema;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.search.ItemView;
import microsoft.exchange.webservices.data.search.filter.SearchFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * What source and target sessions share: the {@link EwsClient}, the folder tree, folder lookup,
 * UIDVALIDITY and the item queries by UID (article number).
 */
abstract class EwsSession implements MailboxSession {

    /** FindItem's page limit (EWSFindCountLimit). */
    static final int FIND_PAGE = 1000;

    /** Properties that make up a message's listing: UID, size, flags, INTERNALDATE. */
    static final PropertySet LISTING = listing();

    /**
     * @param extra further properties
     * @return the listing properties and the extra ones
     */
    static PropertySet listing(microsoft.exchange.webservices.data.property.definition.PropertyDefinitionBase... extra) {
        List<microsoft.exchange.webservices.data.property.definition.PropertyDefinitionBase> all = new ArrayList<>(
                List.of(ItemSchema.Size, ItemSchema.DateTimeReceived, ItemSchema.Categories, ItemSchema.ItemClass,
                        EmailMessageSchema.IsRead, Props.ARTICLE_NUMBER, Props.MESSAGE_FLAGS, Props.FLAG_STATUS,
                        Props.LAST_VERB, Props.IMAP_FLAGS));
        all.addAll(List.of(extra));
        return new PropertySet(BasePropertySet.IdOnly, all.iterator());
    }

    protected final EwsClient client;
    protected final EwsSettings settings;
    protected FolderTree tree;
    private boolean closed;

    EwsSession(EwsClient client) {
        this.client = client;
        this.settings = client.settings();
    }

    /** Returns whether calendar, contacts, tasks… folders are listed. */
    abstract boolean includeNonMail();

    /** Called after each listing; does nothing by default. */
    void listed(FolderTree listing) {
    }

    @Override
    public List<FolderInfo> listFolders() {
        tree = FolderTree.load(client, includeNonMail());
        listed(tree);
        return tree.folders();
    }

    @Override
    public void observe(SessionObserver observer) {
        client.observe(observer);
    }

    /**
     * Finds a listed folder, reading the tree again once if it is not (yet) known.
     *
     * @param name full folder name
     * @return the folder
     * @throws ConnectorException of kind FOLDER_NOT_FOUND
     */
    FolderTree.Listed resolve(String name) {
        if (tree != null) {
            var found = tree.find(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        listFolders();
        return tree.find(name).orElseThrow(() -> new ConnectorException(ConnectorException.Kind.FOLDER_NOT_FOUND,
                "no folder '" + name + "' in mailbox " + settings.mailbox()));
    }

    /**
     * @param folderId a FolderId
     * @return a UIDVALIDITY derived from it: stable while the folder exists, new for a folder
     *         created again under the same name
     */
    static long uidValidity(String folderId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(folderId.getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0x7fL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
            return v == 0 ? 1 : v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param listed a folder
     * @return its item count (GetFolder TotalCount)
     */
    int totalCount(FolderTree.Listed listed) {
        return client.call("GetFolder '" + listed.info().name() + "'", true, 0, service -> {
            Folder f = Folder.bind(service, Ids.folder(listed.id()),
                    new PropertySet(BasePropertySet.IdOnly, FolderSchema.TotalCount));
            return f.getTotalCount();
        });
    }

    /**
     * Lists items with a UID in a range, ascending, page by page (FindItem with a restriction and a
     * sort on PidTagInternetArticleNumber).
     *
     * @param listed   the folder
     * @param fromUid  lowest UID
     * @param toUid    highest UID, or {@code Long.MAX_VALUE}
     * @param limit    most items, or {@code Integer.MAX_VALUE}
     * @param props    what to load
     * @return the items
     */
    List<Item> findByUid(FolderTree.Listed listed, long fromUid, long toUid, int limit, PropertySet props) {
        List<Item> out = new ArrayList<>();
        long from = Math.max(1, fromUid);
        while (out.size() < limit) {
            int page = Math.min(FIND_PAGE, limit - out.size());
            long lo = from;
            SearchFilter filter = toUid >= Integer.MAX_VALUE
                    ? new SearchFilter.IsGreaterThanOrEqualTo(Props.ARTICLE_NUMBER, lo)
                    : new SearchFilter.SearchFilterCollection(LogicalOperator.And,
                            new SearchFilter.IsGreaterThanOrEqualTo(Props.ARTICLE_NUMBER, lo),
                            new SearchFilter.IsLessThanOrEqualTo(Props.ARTICLE_NUMBER, toUid));
            FindItemsResults<Item> r = client.call("FindItem in '" + listed.info().name() + "'", true, 0, service -> {
                ItemView view = new ItemView(page);
                view.getOrderBy().add(Props.ARTICLE_NUMBER, SortDirection.Ascending);
                view.setPropertySet(props);
                return service.findItems(Ids.folder(listed.id()), filter, view);
            });
            long last = -1;
            for (Item i : r.getItems()) {
                long uid = uid(i, listed);
                if (uid < lo || uid > toUid) {
                    continue;
                }
                out.add(i);
                last = Math.max(last, uid);
            }
            if (r.getItems().isEmpty() || !r.isMoreAvailable() || last < 0) {
                break;
            }
            from = last + 1;
        }
        return out;
    }

    /**
     * @param item   an item loaded with {@link Props#ARTICLE_NUMBER}
     * @param listed its folder, for the message
     * @return its UID
     * @throws ConnectorException if the item has no article number
     */
    static long uid(Item item, FolderTree.Listed listed) {
        int n = Props.getInt(item, Props.ARTICLE_NUMBER, 0);
        if (n <= 0) {
            throw new ConnectorException(ConnectorException.Kind.REFUSED, "an item in '" + listed.info().name()
                    + "' has no PR_INTERNET_ARTICLE_NUMBER (0x0E23), which MailFerry uses as its UID");
        }
        return n & 0xffffffffL;
    }

    /**
     * @param item an item loaded with {@link #LISTING}
     * @return its flag properties
     */
    static EwsFlags.ItemFlags itemFlags(Item item) {
        int messageFlags = Props.getInt(item, Props.MESSAGE_FLAGS, 0);
        boolean read = (messageFlags & Props.MSGFLAG_READ) != 0;
        try {
            if (item instanceof EmailMessage m && m.getPropertyBag().contains(EmailMessageSchema.IsRead)) {
                read = Boolean.TRUE.equals(m.getIsRead());
            }
        } catch (Exception e) {
            // IsRead not loaded: PidTagMessageFlags decides
        }
        List<String> categories = new ArrayList<>();
        try {
            if (item.getPropertyBag().contains(ItemSchema.Categories) && item.getCategories() != null) {
                item.getCategories().forEach(categories::add);
            }
        } catch (Exception e) {
            // no categories
        }
        Object extras = Props.get(item, Props.IMAP_FLAGS);
        return new EwsFlags.ItemFlags(read, Props.getInt(item, Props.FLAG_STATUS, 0),
                Props.getInt(item, Props.LAST_VERB, 0), messageFlags, categories,
                extras instanceof String s ? s : null);
    }

    /**
     * @param item an item loaded with DateTimeReceived
     * @return it as an instant, or {@code null}
     */
    static Instant received(Item item) {
        try {
            Date d = item.getDateTimeReceived();
            return d == null ? null : d.toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
