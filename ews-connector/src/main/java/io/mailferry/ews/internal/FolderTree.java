package io.mailferry.ews.internal;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.service.ServiceResult;
import microsoft.exchange.webservices.data.core.enumeration.service.error.ServiceErrorHandling;
import microsoft.exchange.webservices.data.core.request.GetFolderRequest;
import microsoft.exchange.webservices.data.core.response.GetFolderResponse;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.core.service.schema.FolderSchema;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.FolderChange;
import microsoft.exchange.webservices.data.core.enumeration.sync.ChangeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mailbox's folder tree below {@code msgfolderroot} (the top of information store), read with
 * SyncFolderHierarchy, as IMAP-style folders:
 * <ul>
 *   <li>the inbox is {@code INBOX}, whatever its (localised) display name;</li>
 *   <li>the hierarchy separator is {@code /}; a {@code /} inside a display name is shown as
 *       {@code ∕} (U+2215 DIVISION SLASH) and turned back when a folder is created;</li>
 *   <li>Sent Items, Deleted Items, Drafts, Junk E-mail (Exchange's distinguished folders) and a
 *       top-level mail folder named {@code Archive} carry the RFC 6154 roles;</li>
 *   <li>mail folders (FolderClass {@code IPF.Note…}, or none) are selectable; calendar, contacts,
 *       tasks, notes and journal folders are left out and reported, unless non-mail folders are
 *       wanted (ExportItems transfer), and hidden folders are always left out; a mail folder
 *       below a left-out folder keeps its path through a non-selectable parent.</li>
 * </ul>
 */
final class FolderTree {
    /** The hierarchy separator. */
    static final char SEPARATOR = '/';
    /** What a {@code /} in a display name is shown as. */
    static final char SLASH_IN_NAME = '\u2215';

    private static final Map<WellKnownFolderName, FolderRole> ROLES = new LinkedHashMap<>();

    static {
        ROLES.put(WellKnownFolderName.Inbox, FolderRole.INBOX);
        ROLES.put(WellKnownFolderName.SentItems, FolderRole.SENT);
        ROLES.put(WellKnownFolderName.DeletedItems, FolderRole.TRASH);
        ROLES.put(WellKnownFolderName.Drafts, FolderRole.DRAFTS);
        ROLES.put(WellKnownFolderName.JunkEmail, FolderRole.JUNK);
    }

    /**
     * One folder.
     *
     * @param id          its FolderId
     * @param parentId    its parent's FolderId
     * @param displayName as Exchange shows it
     * @param folderClass its FolderClass, or {@code null}
     * @param hidden      PidTagAttributeHidden
     * @param totalCount  its TotalCount (items), or -1 if not known
     */
    record Node(String id, String parentId, String displayName, String folderClass, boolean hidden, long totalCount) {
    }

    /**
     * A folder as listed.
     *
     * @param info        what the SPI sees
     * @param id          its FolderId
     * @param folderClass its FolderClass
     */
    record Listed(FolderInfo info, String id, String folderClass) {
    }

    /**
     * A folder left out.
     *
     * @param name      its path
     * @param reason    why
     * @param hidden    whether it is a hidden (system) folder, which users never see
     * @param itemCount its TotalCount, or -1 if not known
     */
    record Skipped(String name, String reason, boolean hidden, long itemCount) {
    }

    private final String rootId;
    private final String inboxId;
    private final Map<String, Node> nodes;
    private final List<Listed> listed = new ArrayList<>();
    private final Map<String, Listed> byName = new HashMap<>();
    private final Map<String, String> pathById = new HashMap<>();
    private final List<Skipped> skipped = new ArrayList<>();

    private FolderTree(String rootId, String inboxId, Map<String, Node> nodes, Map<String, FolderRole> roles,
                       boolean includeNonMail) {
        this.rootId = rootId;
        this.inboxId = inboxId;
        this.nodes = nodes;
        Map<String, List<Node>> children = new LinkedHashMap<>();
        for (Node n : nodes.values()) {
            children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n);
        }
        // depth first from the root; the inbox first among the root's children
        List<Node> top = new ArrayList<>(children.getOrDefault(rootId, List.of()));
        top.sort((a, b) -> Boolean.compare(!a.id().equals(inboxId), !b.id().equals(inboxId)));
        for (Node n : top) {
            walk(n, "", children, roles, includeNonMail, true);
        }
    }

    /** Returns whether a node or one of its descendants holds mail that will be listed. */
    private boolean walk(Node n, String parentPath, Map<String, List<Node>> children, Map<String, FolderRole> roles,
                         boolean includeNonMail, boolean top) {
        String segment = n.id().equals(inboxId) ? "INBOX" : n.displayName().replace(SEPARATOR, SLASH_IN_NAME);
        String path = parentPath.isEmpty() ? segment : parentPath + SEPARATOR + segment;
        pathById.put(n.id(), path);
        boolean mail = isMail(n.folderClass());
        String reason = null;
        if (n.hidden()) {
            reason = "hidden folder";
        } else if (!mail && !includeNonMail) {
            reason = kind(n.folderClass()) + " folder (FolderClass " + n.folderClass()
                    + "): not mail; it moves only to an Exchange target with ews.itemTransfer=export";
        }
        List<Node> kids = children.getOrDefault(n.id(), List.of());
        int at = listed.size();
        boolean anyBelow = false;
        for (Node k : kids) {
            anyBelow |= walk(k, path, children, roles, includeNonMail, false);
        }
        if (reason != null) {
            skipped.add(new Skipped(path, reason, n.hidden(), n.totalCount()));
            if (n.hidden()) {
                return anyBelow;
            }
            if (!anyBelow) {
                return false;
            }
            // keep the path of mail folders below it: a non-selectable parent
            add(at, n, path, Set.of("\\Noselect", "\\HasChildren"), null, false);
            return true;
        }
        FolderRole role = roles.get(n.id());
        if (role == null && top && mail && n.displayName().equalsIgnoreCase("Archive")) {
            role = FolderRole.ARCHIVE;
        }
        List<String> attrs = new ArrayList<>();
        attrs.add(kids.isEmpty() ? "\\HasNoChildren" : "\\HasChildren");
        if (role != null && role.attribute().isPresent()) {
            attrs.add(role.attribute().get());
        }
        add(at, n, path, Set.copyOf(attrs), role == FolderRole.INBOX ? null : role, true);
        return true;
    }

    private void add(int at, Node n, String path, Set<String> attrs, FolderRole role, boolean selectable) {
        Listed l = new Listed(new FolderInfo(path, SEPARATOR, attrs, role, selectable), n.id(), n.folderClass());
        listed.add(at, l);
        byName.put(key(path), l);
    }

    /** Returns {@code true} for mail folder classes ({@code IPF.Note…}, or none). */
    static boolean isMail(String folderClass) {
        return folderClass == null || folderClass.isBlank() || folderClass.equalsIgnoreCase("IPF")
                || folderClass.regionMatches(true, 0, "IPF.Note", 0, 8)
                || folderClass.regionMatches(true, 0, "IPF.Imap", 0, 8);
    }

    private static String kind(String folderClass) {
        String c = folderClass.toLowerCase(Locale.ROOT);
        if (c.startsWith("ipf.appointment")) {
            return "calendar";
        }
        if (c.startsWith("ipf.contact")) {
            return "contacts";
        }
        if (c.startsWith("ipf.task")) {
            return "tasks";
        }
        if (c.startsWith("ipf.stickynote")) {
            return "notes";
        }
        if (c.startsWith("ipf.journal")) {
            return "journal";
        }
        return "non-mail";
    }

    static String key(String name) {
        if (name.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            return "INBOX/" + name.substring(6).toLowerCase(Locale.ROOT);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the tree.
     *
     * @param client         the session
     * @param includeNonMail whether calendar, contacts, tasks… folders are listed
     * @return the tree
     * @throws ConnectorException on failure
     */
    static FolderTree load(EwsClient client, boolean includeNonMail) {
        PropertySet props = new PropertySet(BasePropertySet.IdOnly, FolderSchema.DisplayName,
                FolderSchema.FolderClass, FolderSchema.ParentFolderId, FolderSchema.TotalCount, Props.HIDDEN);
        Map<String, FolderRole> roles = new HashMap<>();
        String[] root = new String[2];
        client.call("GetFolder (well-known folders)", true, 0, service -> {
            GetFolderRequest req = new GetFolderRequest(service, ServiceErrorHandling.ReturnErrors);
            List<FolderId> ids = new ArrayList<>();
            ids.add(new FolderId(WellKnownFolderName.MsgFolderRoot));
            for (WellKnownFolderName w : ROLES.keySet()) {
                ids.add(new FolderId(w));
            }
            req.getFolderIds().addRangeFolderId(ids);
            req.setPropertySet(props);
            var responses = req.execute();
            int i = 0;
            for (GetFolderResponse r : responses) {
                if (r.getResult() == ServiceResult.Success && r.getFolder() != null) {
                    String id = r.getFolder().getId().getUniqueId();
                    if (i == 0) {
                        root[0] = id;
                    } else {
                        WellKnownFolderName w = new ArrayList<>(ROLES.keySet()).get(i - 1);
                        roles.put(id, ROLES.get(w));
                        if (w == WellKnownFolderName.Inbox) {
                            root[1] = id;
                        }
                    }
                } else if (i == 0) {
                    throw new IllegalStateException("GetFolder msgfolderroot: " + r.getErrorCode() + " "
                            + r.getErrorMessage());
                }
                i++;
            }
            return null;
        });
        Map<String, Node> nodes = new LinkedHashMap<>();
        String state = null;
        for (int pages = 0; pages < 1000; pages++) {
            String s = state;
            ChangeCollection<FolderChange> changes = client.call("SyncFolderHierarchy", true, 0,
                    service -> service.syncFolderHierarchy(new FolderId(WellKnownFolderName.MsgFolderRoot), props, s));
            for (FolderChange c : changes) {
                if (c.getChangeType() == ChangeType.Delete) {
                    try {
                        nodes.remove(c.getFolderId().getUniqueId());
                    } catch (Exception e) {
                        // a delete without id: nothing to remove
                    }
                    continue;
                }
                Folder f = c.getFolder();
                if (f == null) {
                    continue;
                }
                try {
                    Object hidden = Props.get(f, Props.HIDDEN);
                    nodes.put(f.getId().getUniqueId(), new Node(f.getId().getUniqueId(),
                            f.getParentFolderId() == null ? root[0] : f.getParentFolderId().getUniqueId(),
                            f.getDisplayName() == null ? "" : f.getDisplayName(), f.getFolderClass(),
                            Boolean.TRUE.equals(hidden), totalCount(f)));
                } catch (Exception e) {
                    throw new ConnectorException(ConnectorException.Kind.PROTOCOL,
                            "SyncFolderHierarchy: unreadable folder: " + e.getMessage(), e);
                }
            }
            state = changes.getSyncState();
            if (!changes.getMoreChangesAvailable()) {
                break;
            }
        }
        if (root[1] == null) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "the mailbox has no inbox");
        }
        return new FolderTree(root[0], root[1], nodes, roles, includeNonMail);
    }

    /** Returns a folder's TotalCount, or -1 when the answer did not carry it. */
    private static long totalCount(Folder f) {
        try {
            Integer count = f.getTotalCount();
            return count == null ? -1 : count;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Returns the listed folders, parents before children. */
    List<FolderInfo> folders() {
        return listed.stream().map(Listed::info).toList();
    }

    /** Returns the folders left out, with the reason. */
    List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /**
     * @param name a listed name
     * @return the folder
     */
    Optional<Listed> find(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    /** Returns the FolderId of msgfolderroot. */
    String rootId() {
        return rootId;
    }

    /** Returns the FolderId of the inbox. */
    String inboxId() {
        return inboxId;
    }

    /**
     * @param id a FolderId
     * @return its path, whether listed or not
     */
    Optional<String> pathOf(String id) {
        return Optional.ofNullable(pathById.get(id));
    }

    /**
     * Finds a child of a folder by display name, whether listed or not (case-insensitive, as Exchange
     * compares folder names).
     *
     * @param parentId    the parent's FolderId
     * @param displayName the child's display name
     * @return its FolderId
     */
    Optional<Node> child(String parentId, String displayName) {
        for (Node n : nodes.values()) {
            if (n.parentId().equals(parentId) && n.displayName().equalsIgnoreCase(displayName)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
