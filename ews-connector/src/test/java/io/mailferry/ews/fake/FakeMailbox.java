package io.mailferry.ews.fake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A small stateful Exchange mailbox: a folder tree under {@code msgfolderroot} with the
 * distinguished folders, items with MIME and properties, and a change log per item from which
 * SyncFolderItems answers are computed. Every method takes the {@link FakeExchange}'s lock.
 */
public final class FakeMailbox {

    /** One entry of the change log. */
    enum ChangeKind { CREATE, UPDATE, READ, DELETE }

    record Change(long seq, String folderId, String itemId, ChangeKind kind, boolean read) {
    }

    final FakeExchange exchange;
    final String address;
    final Map<String, FakeFolder> folders = new LinkedHashMap<>();
    final Map<String, FakeItem> items = new LinkedHashMap<>();
    final List<Change> log = new ArrayList<>();
    long seq;
    final FakeFolder root;

    FakeMailbox(FakeExchange exchange, String address) {
        this.exchange = exchange;
        this.address = address;
        FakeFolder top = new FakeFolder(exchange.newId("root"), null, "Top of Information Store", "IPF.Note", "root");
        folders.put(top.id, top);
        root = new FakeFolder(exchange.newId("fold"), top.id, "Top of Information Store", "IPF.Note", "msgfolderroot");
        folders.put(root.id, root);
        distinguished("inbox", "Inbox", "IPF.Note");
        distinguished("sentitems", "Sent Items", "IPF.Note");
        distinguished("deleteditems", "Deleted Items", "IPF.Note");
        distinguished("drafts", "Drafts", "IPF.Note");
        distinguished("junkemail", "Junk E-mail", "IPF.Note");
        distinguished("outbox", "Outbox", "IPF.Note");
        distinguished("calendar", "Calendar", "IPF.Appointment");
        distinguished("contacts", "Contacts", "IPF.Contact");
        distinguished("tasks", "Tasks", "IPF.Task");
        distinguished("notes", "Notes", "IPF.StickyNote");
        distinguished("journal", "Journal", "IPF.Journal");
        FakeFolder hidden = new FakeFolder(exchange.newId("fold"), root.id, "Conversation Action Settings",
                "IPF.Configuration", null);
        hidden.hidden = true;
        folders.put(hidden.id, hidden);
    }

    private void distinguished(String name, String displayName, String folderClass) {
        FakeFolder f = new FakeFolder(exchange.newId("fold"), root.id, displayName, folderClass, name);
        folders.put(f.id, f);
    }

    /** Returns the SMTP address. */
    public String address() {
        return address;
    }

    /**
     * @param name a distinguished folder name, e.g. {@code inbox}
     * @return the folder
     */
    public FakeFolder distinguished(String name) {
        synchronized (exchange) {
            for (FakeFolder f : folders.values()) {
                if (name.equalsIgnoreCase(f.distinguished)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("no distinguished folder " + name);
        }
    }

    /** Returns msgfolderroot. */
    public FakeFolder root() {
        return root;
    }

    /**
     * Finds a folder by its path as the connector names it ({@code INBOX}, {@code /} separator,
     * {@code ∕} for a slash in a name).
     *
     * @param path the path
     * @return the folder
     */
    public Optional<FakeFolder> folder(String path) {
        synchronized (exchange) {
            FakeFolder current = root;
            String[] segs = path.split("/", -1);
            for (int i = 0; i < segs.length; i++) {
                String seg = segs[i];
                if (i == 0 && seg.equalsIgnoreCase("INBOX")) {
                    current = distinguished("inbox");
                    continue;
                }
                String name = seg.replace('\u2215', '/');
                FakeFolder next = null;
                for (FakeFolder f : folders.values()) {
                    if (current.id.equals(f.parentId) && f.displayName.equalsIgnoreCase(name)) {
                        next = f;
                        break;
                    }
                }
                if (next == null) {
                    return Optional.empty();
                }
                current = next;
            }
            return Optional.of(current);
        }
    }

    /**
     * Creates a folder and its missing parents (path as for {@link #folder(String)}).
     *
     * @param path        the path
     * @param folderClass the class of the last level (parents get IPF.Note)
     * @return the folder
     */
    public FakeFolder createFolder(String path, String folderClass) {
        synchronized (exchange) {
            FakeFolder current = root;
            String[] segs = path.split("/", -1);
            for (int i = 0; i < segs.length; i++) {
                String seg = segs[i];
                if (i == 0 && seg.equalsIgnoreCase("INBOX")) {
                    current = distinguished("inbox");
                    continue;
                }
                String name = seg.replace('\u2215', '/');
                FakeFolder next = child(current.id, name);
                if (next == null) {
                    next = addFolder(current.id, name, i == segs.length - 1 ? folderClass : "IPF.Note");
                }
                current = next;
            }
            return current;
        }
    }

    /**
     * Renames a folder, as a localised mailbox names its distinguished folders.
     *
     * @param folder  the folder
     * @param newName its new display name
     */
    public void rename(FakeFolder folder, String newName) {
        synchronized (exchange) {
            folder.displayName = newName;
            folder.version = ++exchange.folderVersion;
        }
    }

    FakeFolder child(String parentId, String name) {
        for (FakeFolder f : folders.values()) {
            if (parentId.equals(f.parentId) && f.displayName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    FakeFolder addFolder(String parentId, String name, String folderClass) {
        FakeFolder f = new FakeFolder(exchange.newId("fold"), parentId, name, folderClass, null);
        f.version = ++exchange.folderVersion;
        folders.put(f.id, f);
        return f;
    }

    /**
     * Adds a message as mail delivery would.
     *
     * @param folder   the folder
     * @param mime     its bytes
     * @param read     IsRead
     * @param received DateTimeReceived
     * @return the item
     */
    public FakeItem deliver(FakeFolder folder, byte[] mime, boolean read, Instant received) {
        synchronized (exchange) {
            FakeItem item = newItem(folder, mime);
            item.read = read;
            item.received = received;
            logChange(item, ChangeKind.CREATE);
            return item;
        }
    }

    FakeItem newItem(FakeFolder folder, byte[] mime) {
        FakeItem item = new FakeItem(exchange.newId("item"), this);
        item.folderId = folder.id;
        item.article = folder.nextArticle++;
        item.mime = mime;
        item.received = Instant.now();
        items.put(item.id, item);
        return item;
    }

    void logChange(FakeItem item, ChangeKind kind) {
        log.add(new Change(++seq, item.folderId, item.id, kind, item.read));
    }

    /**
     * Changes an item's properties as a mail client would, and logs the change.
     *
     * @param item   the item
     * @param change what to change
     */
    public void change(FakeItem item, java.util.function.Consumer<FakeItem> change) {
        synchronized (exchange) {
            boolean before = item.read;
            int f = item.flagStatus;
            int v = item.lastVerb;
            List<String> c = List.copyOf(item.categories);
            Map<String, String> n = Map.copyOf(item.named);
            change.accept(item);
            item.version++;
            boolean onlyRead = f == item.flagStatus && v == item.lastVerb && c.equals(item.categories)
                    && n.equals(item.named);
            logChange(item, onlyRead && before != item.read ? ChangeKind.READ : ChangeKind.UPDATE);
        }
    }

    /**
     * Deletes an item for good.
     *
     * @param item the item
     */
    public void delete(FakeItem item) {
        synchronized (exchange) {
            items.remove(item.id);
            logChange(item, ChangeKind.DELETE);
        }
    }

    /**
     * @param folder a folder
     * @return its items by ascending article number
     */
    public List<FakeItem> items(FakeFolder folder) {
        synchronized (exchange) {
            List<FakeItem> out = new ArrayList<>();
            for (FakeItem i : items.values()) {
                if (i.folderId.equals(folder.id)) {
                    out.add(i);
                }
            }
            out.sort(Comparator.comparingLong(i -> i.article));
            return out;
        }
    }

    /** Returns every folder (root and hidden ones included). */
    public List<FakeFolder> folders() {
        synchronized (exchange) {
            return List.copyOf(folders.values());
        }
    }

    /**
     * @param folder a folder
     * @return its path as the connector names it
     */
    public String path(FakeFolder folder) {
        synchronized (exchange) {
            if ("inbox".equals(folder.distinguished)) {
                return "INBOX";
            }
            FakeFolder parent = folders.get(folder.parentId);
            String seg = folder.displayName.replace('/', '\u2215');
            if (parent == null || parent == root) {
                return seg;
            }
            return path(parent) + "/" + seg;
        }
    }

    /** Makes every SyncState of a folder invalid (Exchange answers ErrorInvalidSyncStateData). */
    public void invalidateSyncStates(FakeFolder folder) {
        synchronized (exchange) {
            folder.syncGeneration++;
        }
    }

    /** Returns the number of items. */
    public int itemCount() {
        synchronized (exchange) {
            return items.size();
        }
    }

    @Override
    public String toString() {
        return "FakeMailbox[" + address.toLowerCase(Locale.ROOT) + ", " + items.size() + " items]";
    }
}
