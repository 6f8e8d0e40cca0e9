package io.mailferry.ews.fake;

import org.w3c.dom.Element;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The EWS operations of the fake server, each turning a request element into the body of the
 * answer (the {@code m:…Response} element). Runs under the {@link FakeExchange}'s lock.
 */
final class EwsOperations {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final int PR_ARTICLE = 0x0E23;
    private static final int PR_FLAGS = 0x0E07;
    private static final int PR_DELIVERY = 0x0E06;
    private static final int PR_FLAG_STATUS = 0x1090;
    private static final int PR_LAST_VERB = 0x1081;
    private static final int PR_ICON = 0x1080;
    private static final int PR_HIDDEN = 0x10F4;

    private final FakeExchange exchange;
    private final Faults faults;

    EwsOperations(FakeExchange exchange, Faults faults) {
        this.exchange = exchange;
        this.faults = faults;
    }

    /** Thrown for an answer that is one error message for the whole request. */
    static final class RequestError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;

        RequestError(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    String dispatch(String op, FakeMailbox mb, Element req) {
        return switch (op) {
            case "GetFolder" -> getFolder(mb, req);
            case "SyncFolderHierarchy" -> syncFolderHierarchy(mb, req);
            case "SyncFolderItems" -> syncFolderItems(mb, req);
            case "FindItem" -> findItem(mb, req);
            case "FindFolder" -> findFolder(mb, req);
            case "GetItem" -> getItem(mb, req);
            case "CreateItem" -> createItem(mb, req);
            case "UpdateItem" -> updateItem(mb, req);
            case "CreateFolder" -> createFolder(mb, req);
            case "UpdateFolder" -> updateFolder(mb, req);
            case "ExportItems" -> exportItems(mb, req);
            case "UploadItems" -> uploadItems(mb, req);
            default -> throw new RequestError("ErrorInvalidRequest", "the fake does not implement " + op);
        };
    }

    // ------------------------------------------------------------------ shapes and properties

    /** What the request asks to see of each item or folder. */
    record Shape(String base, Set<String> fields, List<Element> extended) {
        boolean wants(String fieldUri) {
            return fields.contains(fieldUri) || (!base.equals("IdOnly") && DEFAULT.contains(fieldUri));
        }

        static final Set<String> DEFAULT = Set.of("item:ItemClass", "item:DateTimeReceived", "item:Size",
                "item:Categories", "message:IsRead", "item:Subject", "folder:DisplayName", "folder:FolderClass",
                "folder:TotalCount", "folder:ChildFolderCount", "folder:ParentFolderId");
    }

    static Shape shape(Element req, String name) {
        Element s = Soap.child(req, name).orElse(null);
        if (s == null) {
            return new Shape("IdOnly", Set.of(), List.of());
        }
        String base = Soap.text(s, "BaseShape");
        Set<String> fields = new HashSet<>();
        List<Element> ext = new ArrayList<>();
        Soap.child(s, "AdditionalProperties").ifPresent(ap -> {
            for (Element e : Soap.children(ap)) {
                if (e.getLocalName().equals("FieldURI")) {
                    fields.add(e.getAttribute("FieldURI"));
                } else if (e.getLocalName().equals("ExtendedFieldURI")) {
                    ext.add(e);
                }
            }
        });
        return new Shape(base == null ? "IdOnly" : base.trim(), fields, ext);
    }

    static String extKey(Element uri) {
        String tag = uri.getAttribute("PropertyTag");
        if (!tag.isEmpty()) {
            return "tag:" + Integer.decode(tag);
        }
        String set = uri.getAttribute("PropertySetId");
        String name = uri.getAttribute("PropertyName");
        if (!set.isEmpty() && !name.isEmpty()) {
            return "named:{" + set.replace("{", "").replace("}", "").toLowerCase(Locale.ROOT) + "}" + name;
        }
        return "other:" + uri.getAttribute("DistinguishedPropertySetId") + ":" + uri.getAttribute("PropertyId");
    }

    static String ts(Instant i) {
        return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.SECONDS));
    }

    /** An item's value of an extended property, as text, or {@code null}. */
    static String extValue(FakeItem i, String key) {
        if (key.startsWith("tag:")) {
            int tag = Integer.parseInt(key.substring(4));
            return switch (tag) {
                case PR_ARTICLE -> Long.toString(i.article);
                case PR_FLAGS -> Integer.toString(i.messageFlags());
                case PR_DELIVERY -> i.received == null ? null : ts(i.received);
                case PR_FLAG_STATUS -> i.flagStatus == 0 ? null : Integer.toString(i.flagStatus);
                case PR_LAST_VERB -> i.lastVerb == 0 ? null : Integer.toString(i.lastVerb);
                case PR_ICON -> i.iconIndex == 0 ? null : Integer.toString(i.iconIndex);
                default -> i.tagged.get(tag);
            };
        }
        if (key.startsWith("named:")) {
            return i.named.get(key.substring(6));
        }
        return null;
    }

    static void setExt(FakeItem i, String key, String value) {
        if (key.startsWith("tag:")) {
            int tag = Integer.parseInt(key.substring(4));
            int n = value == null || value.isBlank() ? 0 : parseIntLoose(value);
            switch (tag) {
                case PR_FLAGS -> {
                    i.read = (n & 1) != 0;
                    i.draft = (n & 8) != 0;
                }
                case PR_DELIVERY -> i.received = value == null ? null : Instant.parse(value.trim());
                case PR_FLAG_STATUS -> i.flagStatus = n;
                case PR_LAST_VERB -> i.lastVerb = n;
                case PR_ICON -> i.iconIndex = n;
                case PR_ARTICLE -> {
                    // read-only
                }
                default -> {
                    if (value == null) {
                        i.tagged.remove(tag);
                    } else {
                        i.tagged.put(tag, value);
                    }
                }
            }
        } else if (key.startsWith("named:")) {
            if (value == null) {
                i.named.remove(key.substring(6));
            } else {
                i.named.put(key.substring(6), value);
            }
        }
    }

    private static int parseIntLoose(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return Boolean.parseBoolean(v.trim()) ? 1 : 0;
        }
    }

    static String itemElement(FakeItem i) {
        String c = i.itemClass.toLowerCase(Locale.ROOT);
        if (c.startsWith("ipm.appointment")) {
            return "CalendarItem";
        }
        if (c.startsWith("ipm.contact")) {
            return "Contact";
        }
        if (c.startsWith("ipm.task")) {
            return "Task";
        }
        if (c.startsWith("ipm.schedule.meeting.request")) {
            return "MeetingRequest";
        }
        if (c.startsWith("ipm.note") || c.startsWith("ipm.schedule") || c.equals("ipm")) {
            return "Message";
        }
        return "Item";
    }

    static String itemXml(FakeItem i, Shape shape) {
        String el = itemElement(i);
        StringBuilder sb = new StringBuilder("<t:").append(el).append('>');
        if (shape.fields().contains("item:MimeContent")) {
            sb.append("<t:MimeContent CharacterSet=\"UTF-8\">").append(B64.encodeToString(i.mime))
                    .append("</t:MimeContent>");
        }
        sb.append("<t:ItemId Id=\"").append(i.id).append("\" ChangeKey=\"").append(i.changeKey()).append("\"/>");
        if (shape.wants("item:ParentFolderId")) {
            sb.append("<t:ParentFolderId Id=\"").append(i.folderId).append("\"/>");
        }
        if (shape.wants("item:ItemClass")) {
            sb.append("<t:ItemClass>").append(Soap.esc(i.itemClass)).append("</t:ItemClass>");
        }
        if (shape.wants("item:DateTimeReceived") && i.received != null) {
            sb.append("<t:DateTimeReceived>").append(ts(i.received)).append("</t:DateTimeReceived>");
        }
        if (shape.wants("item:Size")) {
            sb.append("<t:Size>").append(i.size()).append("</t:Size>");
        }
        if (shape.wants("item:Categories") && !i.categories.isEmpty()) {
            sb.append("<t:Categories>");
            for (String c : i.categories) {
                sb.append("<t:String>").append(Soap.esc(c)).append("</t:String>");
            }
            sb.append("</t:Categories>");
        }
        for (Element uri : shape.extended()) {
            String v = extValue(i, extKey(uri));
            if (v == null) {
                continue;
            }
            sb.append("<t:ExtendedProperty><t:ExtendedFieldURI");
            for (String a : List.of("PropertyTag", "PropertySetId", "PropertyName", "PropertyType",
                    "DistinguishedPropertySetId", "PropertyId")) {
                String av = uri.getAttribute(a);
                if (!av.isEmpty()) {
                    if (a.equals("PropertyTag")) {
                        av = "0x" + Integer.toHexString(Integer.decode(av));
                    }
                    sb.append(' ').append(a).append("=\"").append(Soap.esc(av)).append('"');
                }
            }
            sb.append("/><t:Value>").append(Soap.esc(v)).append("</t:Value></t:ExtendedProperty>");
        }
        if (shape.wants("message:IsRead") && (el.equals("Message") || el.equals("MeetingRequest"))) {
            sb.append("<t:IsRead>").append(i.read).append("</t:IsRead>");
        }
        return sb.append("</t:").append(el).append('>').toString();
    }

    static String folderElement(FakeFolder f) {
        String c = f.folderClass == null ? "" : f.folderClass.toLowerCase(Locale.ROOT);
        if (c.startsWith("ipf.appointment")) {
            return "CalendarFolder";
        }
        if (c.startsWith("ipf.contact")) {
            return "ContactsFolder";
        }
        if (c.startsWith("ipf.task")) {
            return "TasksFolder";
        }
        return "Folder";
    }

    String folderXml(FakeMailbox mb, FakeFolder f, Shape shape) {
        String el = folderElement(f);
        StringBuilder sb = new StringBuilder("<t:").append(el).append('>');
        sb.append("<t:FolderId Id=\"").append(f.id).append("\" ChangeKey=\"").append(f.changeKey()).append("\"/>");
        if (f.parentId != null && shape.wants("folder:ParentFolderId")) {
            sb.append("<t:ParentFolderId Id=\"").append(f.parentId).append("\"/>");
        }
        if (f.folderClass != null && shape.wants("folder:FolderClass")) {
            sb.append("<t:FolderClass>").append(Soap.esc(f.folderClass)).append("</t:FolderClass>");
        }
        if (shape.wants("folder:DisplayName")) {
            sb.append("<t:DisplayName>").append(Soap.esc(f.displayName)).append("</t:DisplayName>");
        }
        if (shape.wants("folder:TotalCount")) {
            sb.append("<t:TotalCount>").append(mb.items(f).size()).append("</t:TotalCount>");
        }
        if (shape.wants("folder:ChildFolderCount")) {
            long kids = mb.folders.values().stream().filter(x -> f.id.equals(x.parentId)).count();
            sb.append("<t:ChildFolderCount>").append(kids).append("</t:ChildFolderCount>");
        }
        for (Element uri : shape.extended()) {
            if (extKey(uri).equals("tag:" + PR_HIDDEN)) {
                sb.append("<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag=\"0x10f4\" PropertyType=\"Boolean\"/>")
                        .append("<t:Value>").append(f.hidden).append("</t:Value></t:ExtendedProperty>");
            }
        }
        return sb.append("</t:").append(el).append('>').toString();
    }

    FakeFolder folderOf(FakeMailbox mb, Element idElement) {
        if (idElement.getLocalName().equals("DistinguishedFolderId")) {
            String name = idElement.getAttribute("Id");
            for (FakeFolder f : mb.folders.values()) {
                if (name.equalsIgnoreCase(f.distinguished)) {
                    return f;
                }
            }
            return null;
        }
        return mb.folders.get(idElement.getAttribute("Id"));
    }

    FakeFolder requireFolder(FakeMailbox mb, Element container) {
        Element id = Soap.children(container).stream().findFirst().orElse(null);
        FakeFolder f = id == null ? null : folderOf(mb, id);
        if (f == null) {
            throw new RequestError("ErrorFolderNotFound", "The specified folder could not be found in the store.");
        }
        return f;
    }

    // ------------------------------------------------------------------ folders

    private String getFolder(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "FolderShape");
        StringBuilder msgs = new StringBuilder();
        for (Element id : Soap.children(Soap.child(req, "FolderIds").orElseThrow())) {
            FakeFolder f = folderOf(mb, id);
            if (f == null) {
                msgs.append(Soap.error("GetFolder", "ErrorFolderNotFound",
                        "The specified folder could not be found in the store.", 0));
            } else {
                msgs.append(Soap.success("GetFolder", "<m:Folders>" + folderXml(mb, f, shape) + "</m:Folders>"));
            }
        }
        return Soap.response("GetFolder", msgs);
    }

    private List<FakeFolder> descendants(FakeMailbox mb, FakeFolder top) {
        List<FakeFolder> out = new ArrayList<>();
        for (FakeFolder f : mb.folders.values()) {
            if (top.id.equals(f.parentId)) {
                out.add(f);
                out.addAll(descendants(mb, f));
            }
        }
        return out;
    }

    private String syncFolderHierarchy(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "FolderShape");
        FakeFolder top = Soap.child(req, "SyncFolderId").map(c -> requireFolder(mb, c)).orElse(mb.folders.values()
                .iterator().next());
        String state = Soap.text(req, "SyncState");
        long since = 0;
        if (state != null && !state.isBlank()) {
            String s = new String(Base64.getDecoder().decode(state.trim()), StandardCharsets.US_ASCII);
            since = Long.parseLong(s.substring(s.lastIndexOf('|') + 1));
        }
        StringBuilder changes = new StringBuilder();
        for (FakeFolder f : descendants(mb, top)) {
            if (f.version > since || since == 0) {
                changes.append("<t:Create>").append(folderXml(mb, f, shape)).append("</t:Create>");
            }
        }
        String newState = B64.encodeToString(("sfh|" + top.id + "|" + exchange.folderVersion)
                .getBytes(StandardCharsets.US_ASCII));
        return Soap.response("SyncFolderHierarchy", Soap.success("SyncFolderHierarchy", "<m:SyncState>" + newState
                + "</m:SyncState><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>" + changes
                + "</m:Changes>"));
    }

    private String findFolder(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "FolderShape");
        boolean deep = "Deep".equals(req.getAttribute("Traversal"));
        FakeFolder parent = requireFolder(mb, Soap.child(req, "ParentFolderIds").orElseThrow());
        List<FakeFolder> found = deep ? descendants(mb, parent) : mb.folders.values().stream()
                .filter(f -> parent.id.equals(f.parentId)).toList();
        int offset = 0;
        int max = Integer.MAX_VALUE;
        Element view = Soap.child(req, "IndexedPageFolderView").orElse(null);
        if (view != null) {
            offset = Integer.parseInt(view.getAttribute("Offset").isEmpty() ? "0" : view.getAttribute("Offset"));
            max = Integer.parseInt(view.getAttribute("MaxEntriesReturned").isEmpty() ? "1000"
                    : view.getAttribute("MaxEntriesReturned"));
        }
        List<FakeFolder> page = found.subList(Math.min(offset, found.size()), Math.min(found.size(),
                offset + (long) max > Integer.MAX_VALUE ? found.size() : offset + max));
        StringBuilder sb = new StringBuilder();
        for (FakeFolder f : page) {
            sb.append(folderXml(mb, f, shape));
        }
        boolean last = offset + page.size() >= found.size();
        return Soap.response("FindFolder", Soap.success("FindFolder", "<m:RootFolder IndexedPagingOffset=\""
                + (offset + page.size()) + "\" TotalItemsInView=\"" + found.size() + "\" IncludesLastItemInRange=\""
                + last + "\"><t:Folders>" + sb + "</t:Folders></m:RootFolder>"));
    }

    private String createFolder(FakeMailbox mb, Element req) {
        FakeFolder parent = requireFolder(mb, Soap.child(req, "ParentFolderId").orElseThrow());
        StringBuilder msgs = new StringBuilder();
        for (Element f : Soap.children(Soap.child(req, "Folders").orElseThrow())) {
            String name = Soap.text(f, "DisplayName");
            String cls = Soap.text(f, "FolderClass");
            if (mb.child(parent.id, name) != null) {
                msgs.append(Soap.error("CreateFolder", "ErrorFolderExists",
                        "A folder with the specified name already exists.", 0));
                continue;
            }
            FakeFolder created = mb.addFolder(parent.id, name, cls == null ? "IPF.Note" : cls);
            msgs.append(Soap.success("CreateFolder", "<m:Folders><t:Folder><t:FolderId Id=\"" + created.id
                    + "\" ChangeKey=\"" + created.changeKey() + "\"/></t:Folder></m:Folders>"));
        }
        return Soap.response("CreateFolder", msgs);
    }

    private String updateFolder(FakeMailbox mb, Element req) {
        StringBuilder msgs = new StringBuilder();
        for (Element change : Soap.children(Soap.child(req, "FolderChanges").orElseThrow())) {
            FakeFolder f = folderOf(mb, Soap.children(change).get(0));
            if (f == null) {
                msgs.append(Soap.error("UpdateFolder", "ErrorFolderNotFound", "no such folder", 0));
                continue;
            }
            for (Element set : Soap.children(Soap.child(change, "Updates").orElseThrow(), "SetFolderField")) {
                String uri = Soap.child(set, "FieldURI").map(e -> e.getAttribute("FieldURI")).orElse("");
                Element value = Soap.children(set).get(1);
                if (uri.equals("folder:FolderClass")) {
                    f.folderClass = Soap.text(value, "FolderClass");
                } else if (uri.equals("folder:DisplayName")) {
                    f.displayName = Soap.text(value, "DisplayName");
                }
            }
            f.version = ++exchange.folderVersion;
            msgs.append(Soap.success("UpdateFolder", "<m:Folders><t:Folder><t:FolderId Id=\"" + f.id
                    + "\" ChangeKey=\"" + f.changeKey() + "\"/></t:Folder></m:Folders>"));
        }
        return Soap.response("UpdateFolder", msgs);
    }

    // ------------------------------------------------------------------ items

    private String syncFolderItems(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "ItemShape");
        FakeFolder folder = requireFolder(mb, Soap.child(req, "SyncFolderId").orElseThrow());
        int max = Integer.parseInt(Soap.text(req, "MaxChangesReturned").trim());
        if (max < 1 || max > 512) {
            throw new RequestError("ErrorInvalidArgument", "MaxChangesReturned must be 1-512");
        }
        String state = Soap.text(req, "SyncState");
        long since = 0;
        if (state != null && !state.isBlank()) {
            String s;
            try {
                s = new String(Base64.getDecoder().decode(state.trim()), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                s = "";
            }
            String[] parts = s.split("\\|");
            if (parts.length != 4 || !parts[0].equals("sfi") || !parts[1].equals(folder.id)
                    || Integer.parseInt(parts[2]) != folder.syncGeneration) {
                return Soap.response("SyncFolderItems", Soap.error("SyncFolderItems", "ErrorInvalidSyncStateData",
                        "Synchronization state data is corrupt or otherwise invalid.", 0));
            }
            since = Long.parseLong(parts[3]);
        }
        Map<String, FakeMailbox.ChangeKind> page = new LinkedHashMap<>();
        Map<String, Boolean> readOf = new LinkedHashMap<>();
        long last = since;
        boolean more = false;
        for (FakeMailbox.Change c : mb.log) {
            if (c.seq() <= since || !c.folderId().equals(folder.id)) {
                continue;
            }
            if (!page.containsKey(c.itemId()) && page.size() >= max) {
                more = true;
                break;
            }
            FakeMailbox.ChangeKind prev = page.get(c.itemId());
            switch (c.kind()) {
                case CREATE -> page.put(c.itemId(), FakeMailbox.ChangeKind.CREATE);
                case UPDATE -> page.put(c.itemId(), prev == FakeMailbox.ChangeKind.CREATE ? prev
                        : FakeMailbox.ChangeKind.UPDATE);
                case READ -> {
                    if (prev == null || prev == FakeMailbox.ChangeKind.READ) {
                        page.put(c.itemId(), FakeMailbox.ChangeKind.READ);
                    }
                    readOf.put(c.itemId(), c.read());
                }
                case DELETE -> {
                    if (prev == FakeMailbox.ChangeKind.CREATE) {
                        page.remove(c.itemId());
                    } else {
                        page.put(c.itemId(), FakeMailbox.ChangeKind.DELETE);
                    }
                }
            }
            last = c.seq();
        }
        StringBuilder changes = new StringBuilder();
        for (Map.Entry<String, FakeMailbox.ChangeKind> e : page.entrySet()) {
            FakeItem item = mb.items.get(e.getKey());
            switch (e.getValue()) {
                case CREATE, UPDATE -> {
                    String tag = e.getValue() == FakeMailbox.ChangeKind.CREATE ? "Create" : "Update";
                    if (item == null) {
                        // created or changed, then deleted after this page: report the id only
                        changes.append("<t:").append(tag).append("><t:Message><t:ItemId Id=\"").append(e.getKey())
                                .append("\" ChangeKey=\"CQAAAA==\"/></t:Message></t:").append(tag).append('>');
                    } else {
                        changes.append("<t:").append(tag).append('>').append(itemXml(item, shape))
                                .append("</t:").append(tag).append('>');
                    }
                }
                case READ -> changes.append("<t:ReadFlagChange><t:ItemId Id=\"").append(e.getKey())
                        .append("\" ChangeKey=\"CQAAAA==\"/><t:IsRead>").append(readOf.getOrDefault(e.getKey(), false))
                        .append("</t:IsRead></t:ReadFlagChange>");
                case DELETE -> changes.append("<t:Delete><t:ItemId Id=\"").append(e.getKey())
                        .append("\" ChangeKey=\"CQAAAA==\"/></t:Delete>");
            }
        }
        String newState = B64.encodeToString(("sfi|" + folder.id + "|" + folder.syncGeneration + "|" + last)
                .getBytes(StandardCharsets.US_ASCII));
        return Soap.response("SyncFolderItems", Soap.success("SyncFolderItems", "<m:SyncState>" + newState
                + "</m:SyncState><m:IncludesLastItemInRange>" + !more + "</m:IncludesLastItemInRange><m:Changes>"
                + changes + "</m:Changes>"));
    }

    /** A restriction as a predicate. */
    private Predicate<FakeItem> restriction(Element r) {
        if (r == null) {
            return i -> true;
        }
        String name = r.getLocalName();
        switch (name) {
            case "Restriction", "Not" -> {
                Predicate<FakeItem> inner = restriction(Soap.children(r).get(0));
                return name.equals("Not") ? inner.negate() : inner;
            }
            case "And", "Or" -> {
                List<Predicate<FakeItem>> parts = Soap.children(r).stream().map(this::restriction).toList();
                return name.equals("And") ? i -> parts.stream().allMatch(p -> p.test(i))
                        : i -> parts.stream().anyMatch(p -> p.test(i));
            }
            case "Exists" -> {
                Element uri = Soap.children(r).get(0);
                return i -> value(i, uri) != null;
            }
            case "IsEqualTo", "IsNotEqualTo", "IsGreaterThan", "IsGreaterThanOrEqualTo", "IsLessThan",
                 "IsLessThanOrEqualTo" -> {
                Element uri = Soap.children(r).get(0);
                String constant = Soap.descendant(r, "Constant").map(c -> c.getAttribute("Value")).orElse("");
                return i -> {
                    String v = value(i, uri);
                    if (v == null) {
                        return false;
                    }
                    int cmp = compare(v, constant);
                    return switch (name) {
                        case "IsEqualTo" -> cmp == 0;
                        case "IsNotEqualTo" -> cmp != 0;
                        case "IsGreaterThan" -> cmp > 0;
                        case "IsGreaterThanOrEqualTo" -> cmp >= 0;
                        case "IsLessThan" -> cmp < 0;
                        default -> cmp <= 0;
                    };
                };
            }
            default -> throw new RequestError("ErrorUnsupportedQueryFilter", "the fake cannot evaluate " + name);
        }
    }

    private static int compare(String a, String b) {
        try {
            return Long.compare(Long.parseLong(a.trim()), Long.parseLong(b.trim()));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static String value(FakeItem i, Element uri) {
        if (uri.getLocalName().equals("ExtendedFieldURI")) {
            return extValue(i, extKey(uri));
        }
        return switch (uri.getAttribute("FieldURI")) {
            case "item:DateTimeReceived" -> i.received == null ? null : ts(i.received);
            case "item:Size" -> Long.toString(i.size());
            case "message:IsRead" -> Boolean.toString(i.read);
            case "item:ItemClass" -> i.itemClass;
            default -> null;
        };
    }

    private String findItem(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "ItemShape");
        FakeFolder folder = requireFolder(mb, Soap.child(req, "ParentFolderIds").orElseThrow());
        Predicate<FakeItem> filter = restriction(Soap.child(req, "Restriction").orElse(null));
        List<FakeItem> found = new ArrayList<>(mb.items(folder).stream().filter(filter).toList());
        Soap.child(req, "SortOrder").ifPresent(so -> {
            Element order = Soap.children(so).get(0);
            Element uri = Soap.children(order).get(0);
            Comparator<FakeItem> cmp = (x, y) -> {
                String a = value(x, uri);
                String b = value(y, uri);
                if (a == null || b == null) {
                    return a == null ? (b == null ? 0 : -1) : 1;
                }
                return compare(a, b);
            };
            found.sort("Descending".equals(order.getAttribute("Order")) ? cmp.reversed() : cmp);
        });
        int offset = 0;
        int max = 1000;
        Element view = Soap.child(req, "IndexedPageItemView").orElse(null);
        if (view != null) {
            offset = view.getAttribute("Offset").isEmpty() ? 0 : Integer.parseInt(view.getAttribute("Offset"));
            max = view.getAttribute("MaxEntriesReturned").isEmpty() ? 1000
                    : Integer.parseInt(view.getAttribute("MaxEntriesReturned"));
            if ("End".equals(view.getAttribute("BasePoint"))) {
                offset = Math.max(0, found.size() - offset - max);
            }
        }
        max = Math.min(max, 1000);
        List<FakeItem> page = found.subList(Math.min(offset, found.size()), Math.min(found.size(), offset + max));
        StringBuilder sb = new StringBuilder();
        for (FakeItem i : page) {
            sb.append(itemXml(i, shape));
        }
        boolean last = offset + page.size() >= found.size();
        return Soap.response("FindItem", Soap.success("FindItem", "<m:RootFolder IndexedPagingOffset=\""
                + (offset + page.size()) + "\" TotalItemsInView=\"" + found.size() + "\" IncludesLastItemInRange=\""
                + last + "\"><t:Items>" + sb + "</t:Items></m:RootFolder>"));
    }

    private String getItem(FakeMailbox mb, Element req) {
        Shape shape = shape(req, "ItemShape");
        StringBuilder msgs = new StringBuilder();
        for (Element id : Soap.children(Soap.child(req, "ItemIds").orElseThrow())) {
            String itemId = id.getAttribute("Id");
            FakeItem item = mb.items.get(itemId);
            String code = faults.itemError(itemId);
            if (item == null) {
                msgs.append(Soap.error("GetItem", "ErrorItemNotFound",
                        "The specified object was not found in the store.", 0));
            } else if (faults.itemBusyNow(itemId)) {
                msgs.append(Soap.error("GetItem", "ErrorServerBusy", "The server cannot service this request right now.",
                        faults.itemBusyBackOff()));
            } else if (code != null && (shape.fields().contains("item:MimeContent") || !code.contains("Mime"))) {
                msgs.append(Soap.error("GetItem", code, "injected per-item error", 0));
            } else {
                msgs.append(Soap.success("GetItem", "<m:Items>" + itemXml(item, shape) + "</m:Items>"));
            }
        }
        return Soap.response("GetItem", msgs);
    }

    private String createItem(FakeMailbox mb, Element req) {
        FakeFolder folder = requireFolder(mb, Soap.child(req, "SavedItemFolderId").orElseThrow());
        StringBuilder msgs = new StringBuilder();
        for (Element e : Soap.children(Soap.child(req, "Items").orElseThrow())) {
            String mimeText = Soap.text(e, "MimeContent");
            byte[] mime = mimeText == null ? new byte[0] : Base64.getMimeDecoder().decode(mimeText.trim());
            String injected = injectedError(mime);
            if (injected != null) {
                msgs.append(Soap.error("CreateItem", injected, "injected per-item error", 0));
                continue;
            }
            if (exchange.maxMessageSize > 0 && mime.length > exchange.maxMessageSize) {
                msgs.append(Soap.error("CreateItem", "ErrorMessageSizeExceeded",
                        "The message exceeds the maximum supported size.", 0));
                continue;
            }
            FakeItem item = mb.newItem(folder, mime);
            item.itemClass = e.getLocalName().equals("Message") ? "IPM.Note" : "IPM";
            applyProperties(item, e);
            mb.logChange(item, FakeMailbox.ChangeKind.CREATE);
            msgs.append(Soap.success("CreateItem", "<m:Items><t:" + itemElement(item) + "><t:ItemId Id=\"" + item.id
                    + "\" ChangeKey=\"" + item.changeKey() + "\"/></t:" + itemElement(item) + "></m:Items>"));
        }
        return Soap.response("CreateItem", msgs);
    }

    /** A message that asks for a per-item error in its header {@code X-Fake-Error: <code>}. */
    private static String injectedError(byte[] mime) {
        String head = new String(mime, 0, Math.min(mime.length, 4096), StandardCharsets.ISO_8859_1);
        int at = head.indexOf("X-Fake-Error: ");
        if (at < 0) {
            return null;
        }
        int end = head.indexOf('\r', at);
        return head.substring(at + "X-Fake-Error: ".length(), end < 0 ? head.length() : end).trim();
    }

    private static void applyProperties(FakeItem item, Element e) {
        for (Element p : Soap.children(e)) {
            switch (p.getLocalName()) {
                case "ExtendedProperty" -> {
                    Element uri = Soap.child(p, "ExtendedFieldURI").orElseThrow();
                    setExt(item, extKey(uri), Soap.text(p, "Value"));
                }
                case "Categories" -> {
                    item.categories.clear();
                    Soap.children(p, "String").forEach(s -> item.categories.add(s.getTextContent()));
                }
                case "IsRead" -> item.read = Boolean.parseBoolean(p.getTextContent().trim());
                case "ItemClass" -> item.itemClass = p.getTextContent().trim();
                default -> {
                    // MimeContent handled by the caller; other properties are not modelled
                }
            }
        }
    }

    private String updateItem(FakeMailbox mb, Element req) {
        StringBuilder msgs = new StringBuilder();
        for (Element change : Soap.children(Soap.child(req, "ItemChanges").orElseThrow())) {
            Element idEl = Soap.child(change, "ItemId").orElseThrow();
            FakeItem item = mb.items.get(idEl.getAttribute("Id"));
            if (item == null) {
                msgs.append(Soap.error("UpdateItem", "ErrorItemNotFound", "The specified object was not found.", 0));
                continue;
            }
            boolean readBefore = item.read;
            int f = item.flagStatus;
            int v = item.lastVerb;
            List<String> c = List.copyOf(item.categories);
            Map<String, String> n = Map.copyOf(item.named);
            for (Element u : Soap.children(Soap.child(change, "Updates").orElseThrow())) {
                Element uri = Soap.children(u).get(0);
                boolean delete = u.getLocalName().equals("DeleteItemField");
                if (uri.getLocalName().equals("ExtendedFieldURI")) {
                    String value = delete ? null : Soap.descendant(u, "Value").map(Element::getTextContent).orElse(null);
                    setExt(item, extKey(uri), value);
                } else if (delete) {
                    if (uri.getAttribute("FieldURI").equals("item:Categories")) {
                        item.categories.clear();
                    }
                } else {
                    applyProperties(item, Soap.children(u).get(1));
                }
            }
            item.version++;
            boolean onlyRead = f == item.flagStatus && v == item.lastVerb && c.equals(item.categories)
                    && n.equals(item.named);
            if (onlyRead && readBefore != item.read) {
                mb.logChange(item, FakeMailbox.ChangeKind.READ);
            } else if (!onlyRead) {
                mb.logChange(item, FakeMailbox.ChangeKind.UPDATE);
            }
            msgs.append(Soap.success("UpdateItem", "<m:Items><t:" + itemElement(item) + "><t:ItemId Id=\"" + item.id
                    + "\" ChangeKey=\"" + item.changeKey() + "\"/></t:" + itemElement(item)
                    + "></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"));
        }
        return Soap.response("UpdateItem", msgs);
    }

    // ------------------------------------------------------------------ ExportItems / UploadItems

    private String exportItems(FakeMailbox mb, Element req) {
        StringBuilder msgs = new StringBuilder();
        for (Element id : Soap.children(Soap.child(req, "ItemIds").orElseThrow())) {
            FakeItem item = mb.items.get(id.getAttribute("Id"));
            String code = item == null ? null : faults.itemError(item.id);
            if (item == null) {
                msgs.append(Soap.error("ExportItems", "ErrorItemNotFound",
                        "The specified object was not found in the store.", 0));
            } else if (code != null) {
                msgs.append(Soap.error("ExportItems", code, "injected per-item error", 0));
            } else {
                msgs.append(Soap.success("ExportItems", "<m:ItemId Id=\"" + item.id + "\" ChangeKey=\""
                        + item.changeKey() + "\"/><m:Data>" + B64.encodeToString(FakeFts.encode(item)) + "</m:Data>"));
            }
        }
        return Soap.response("ExportItems", msgs);
    }

    private String uploadItems(FakeMailbox mb, Element req) {
        StringBuilder msgs = new StringBuilder();
        for (Element e : Soap.children(Soap.child(req, "Items").orElseThrow())) {
            Element parent = Soap.child(e, "ParentFolderId").orElseThrow();
            FakeFolder folder = mb.folders.get(parent.getAttribute("Id"));
            if (folder == null) {
                msgs.append(Soap.error("UploadItems", "ErrorFolderNotFound", "no such folder", 0));
                continue;
            }
            if (!"CreateNew".equals(e.getAttribute("CreateAction"))) {
                msgs.append(Soap.error("UploadItems", "ErrorInvalidRequest", "the fake only creates", 0));
                continue;
            }
            byte[] data = Base64.getMimeDecoder().decode(Soap.text(e, "Data").trim());
            FakeItem item;
            try {
                item = FakeFts.decode(mb, folder, data);
            } catch (IOException ex) {
                msgs.append(Soap.error("UploadItems", "ErrorInvalidRequest", "not an export stream", 0));
                continue;
            }
            mb.logChange(item, FakeMailbox.ChangeKind.CREATE);
            msgs.append(Soap.success("UploadItems", "<m:ItemId Id=\"" + item.id + "\" ChangeKey=\""
                    + item.changeKey() + "\"/>"));
        }
        return Soap.response("UploadItems", msgs);
    }

    /** The fake's "full fidelity" stream: every modelled property and the MIME bytes. */
    static final class FakeFts {
        private FakeFts() {
        }

        static byte[] encode(FakeItem i) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeUTF("MFFTS1");
                out.writeUTF(i.itemClass);
                out.writeBoolean(i.read);
                out.writeBoolean(i.draft);
                out.writeInt(i.flagStatus);
                out.writeInt(i.lastVerb);
                out.writeInt(i.categories.size());
                for (String c : i.categories) {
                    out.writeUTF(c);
                }
                out.writeLong(i.received == null ? Long.MIN_VALUE : i.received.toEpochMilli());
                out.writeInt(i.named.size());
                for (Map.Entry<String, String> e : i.named.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
                out.writeInt(i.mime.length);
                out.write(i.mime);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static FakeItem decode(FakeMailbox mb, FakeFolder folder, byte[] data) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            if (!in.readUTF().equals("MFFTS1")) {
                throw new IOException("bad magic");
            }
            String itemClass = in.readUTF();
            boolean read = in.readBoolean();
            boolean draft = in.readBoolean();
            int flagStatus = in.readInt();
            int lastVerb = in.readInt();
            List<String> cats = new ArrayList<>();
            for (int n = in.readInt(); n > 0; n--) {
                cats.add(in.readUTF());
            }
            long received = in.readLong();
            Map<String, String> named = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                named.put(in.readUTF(), in.readUTF());
            }
            byte[] mime = in.readNBytes(in.readInt());
            FakeItem item = mb.newItem(folder, mime);
            item.itemClass = itemClass;
            item.read = read;
            item.draft = draft;
            item.flagStatus = flagStatus;
            item.lastVerb = lastVerb;
            item.categories.addAll(cats);
            item.received = received == Long.MIN_VALUE ? null : Instant.ofEpochMilli(received);
            item.named.putAll(named);
            return item;
        }
    }
}
