package io.mailferry.imap.internal;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.TargetMailbox;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mailbox written over IMAP. Folders are opened with {@code SELECT}; messages are stored with
 * MULTIAPPEND (RFC 3502) when offered, else with one {@code APPEND} per message, pipelined when
 * the server takes non-synchronising literals. On Gmail ({@code X-GM-EXT-1}) messages are shown in
 * more folders with {@code UID STORE +X-GM-LABELS} ({@link #addLabels}).
 */
final class ImapTargetMailbox extends ImapSession implements TargetMailbox {
    private static final Logger LOG = LoggerFactory.getLogger(ImapTargetMailbox.class);

    /** The hierarchy separator, once asked for; {@code null} before. */
    private Character separator;

    ImapTargetMailbox(ImapWire wire, ImapSettings settings, String mailbox) {
        this(wire, settings, mailbox, RateLimiter.NONE);
    }

    ImapTargetMailbox(ImapWire wire, ImapSettings settings, String mailbox, RateLimiter rate) {
        super(wire, settings, mailbox, false, rate);
    }

    /**
     * The largest message this server takes: its {@code APPENDLIMIT} capability (RFC 7889 section
     * 3), or the endpoint's {@code imap.maxMessageBytes}, whichever is lower; 0 for no limit.
     */
    long appendLimit() {
        long limit = settings.maxMessageBytes();
        for (String cap : wire.capabilityMap().keySet()) {
            if (cap.toUpperCase(java.util.Locale.ROOT).startsWith("APPENDLIMIT=")) {
                try {
                    long n = Long.parseLong(cap.substring("APPENDLIMIT=".length()).trim());
                    if (n > 0) {
                        limit = limit > 0 ? Math.min(limit, n) : n;
                    }
                } catch (NumberFormatException e) {
                    // APPENDLIMIT without value: the limit is per folder (STATUS APPENDLIMIT); not asked
                }
            }
        }
        return limit;
    }

    // ---------------------------------------------------------------------------------- folders

    @Override
    public void createFolder(String folder) {
        Objects.requireNonNull(folder, "folder");
        checkOpen();
        wire.ensureNamespace();
        if (folder.equalsIgnoreCase("INBOX")) {
            return;
        }
        // RFC 3501 section 6.3.3: the server SHOULD create missing superior names itself
        ServerReply refusal = create(folder);
        if (refusal == null) {
            subscribe(folder);
            return;
        }
        if (alreadyExists(refusal, folder)) {
            return;
        }
        char sep = separator();
        if (sep != FolderInfo.NO_SEPARATOR) {
            String[] parts = folder.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
            StringBuilder parent = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                if (i > 0) {
                    parent.append(sep);
                }
                parent.append(parts[i]);
                if (!parts[i].isEmpty() && !parent.toString().equalsIgnoreCase("INBOX")) {
                    ServerReply r = create(parent.toString());
                    if (r != null && !alreadyExists(r, parent.toString())) {
                        LOG.debug("CREATE of parent '{}' on {} refused: {}", parent, wire.where(), r);
                    }
                }
            }
            refusal = create(folder);
            if (refusal == null) {
                subscribe(folder);
                return;
            }
            if (alreadyExists(refusal, folder)) {
                return;
            }
        }
        throw ImapErrors.refused("CREATE of folder '" + folder + "' of '" + mailbox + "'", wire.where(), refusal);
    }

    /**
     * SUBSCRIBE (RFC 3501 section 6.3.6) a folder this session created, so that mail clients show
     * it as they showed the source's folders; a refusal is only logged.
     */
    private void subscribe(String folder) {
        Argument args = new Argument();
        wire.mailbox(args, folder);
        Response done = wire.run("SUBSCRIBE", args);
        if (!done.isOK()) {
            LOG.debug("SUBSCRIBE of '{}' on {} refused: {}", folder, wire.where(), ServerReply.of(done));
        }
    }

    /** CREATE; {@code null} when done, else the refusal. */
    private ServerReply create(String folder) {
        Argument args = new Argument();
        wire.mailbox(args, folder);
        Response done = wire.run("CREATE", args);
        if (done.isOK()) {
            return null;
        }
        ServerReply reply = ServerReply.of(done);
        ConnectorException.Kind kind = ImapErrors.kindOf(reply);
        if (kind == ConnectorException.Kind.THROTTLED || kind == ConnectorException.Kind.QUOTA) {
            throw ImapErrors.refused("CREATE of folder '" + folder + "' of '" + mailbox + "'", wire.where(), reply);
        }
        return reply;
    }

    /** Whether a refused CREATE means the folder is there: [ALREADYEXISTS] (RFC 5530), or LIST finds it. */
    private boolean alreadyExists(ServerReply refusal, String folder) {
        if (refusal.hasCode("ALREADYEXISTS")) {
            return true;
        }
        Argument args = new Argument();
        args.writeString("");
        wire.mailbox(args, folder);
        boolean[] found = {false};
        Response done = wire.run("LIST", args, r -> {
            if (r instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                String line = ir.toString();
                if (!line.toLowerCase(java.util.Locale.ROOT).contains("\\nonexistent")) {
                    found[0] = true;
                }
            }
        });
        return done.isOK() && found[0];
    }

    /** The hierarchy separator from {@code LIST "" ""} (RFC 3501 section 6.3.8). */
    private char separator() {
        if (separator == null) {
            char[] sep = {'/'};
            Argument args = new Argument();
            args.writeString("");
            args.writeString("");
            Response done = wire.run("LIST", args, r -> {
                if (r instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                    ir.readSimpleList();
                    ir.skipSpaces();
                    if (ir.peekByte() == '"') {
                        ir.readByte();
                        byte b = ir.readByte();
                        if (b == '\\') {
                            b = ir.readByte();
                        }
                        sep[0] = (char) (b & 0xff);
                    } else {
                        sep[0] = FolderInfo.NO_SEPARATOR;
                    }
                }
            });
            if (!done.isOK()) {
                throw ImapErrors.refused("LIST of the hierarchy separator of '" + mailbox + "'", wire.where(),
                        ServerReply.of(done));
            }
            separator = sep[0];
        }
        return separator;
    }

    // ---------------------------------------------------------------------------------- append

    @Override
    public List<AppendResult> append(String folder, List<AppendRequest> messages) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty()) {
            return List.of();
        }
        Selected s = ensureSelected(folder);
        boolean binary = has(ConnectorCapability.BINARY);
        long limit = appendLimit();
        AppendResult[] all = new AppendResult[messages.size()];
        List<Integer> sent = new ArrayList<>(messages.size());
        List<AppendArgument.Item> items = new ArrayList<>(messages.size());
        Set<String> dropped = new TreeSet<>();
        for (int k = 0; k < messages.size(); k++) {
            AppendRequest m = messages.get(k);
            if (limit > 0 && m.content().size() > limit) {
                // not sent: the server would refuse it, possibly by closing the connection
                all[k] = AppendResult.tooLarge("message of " + m.content().size() + " bytes is larger than the "
                        + limit + " bytes " + wire.where() + " accepts (APPENDLIMIT or the endpoint's maximum)");
                continue;
            }
            List<String> notAllowed = new ArrayList<>();
            String flags = ImapFlags.flagList(m.flags(), s::acceptsKeyword, notAllowed);
            dropped.addAll(notAllowed);
            items.add(new AppendArgument.Item(flags.equals("()") ? null : flags,
                    m.internalDate() == null ? null : ImapDates.format(m.internalDate()),
                    m.content(), binary && containsNul(m.content())));
            sent.add(k);
        }
        logDropped(s, dropped);
        if (items.isEmpty()) {
            return List.of(all);
        }
        List<AppendResult> partial = appendItems(s, items);
        for (int k = 0; k < sent.size(); k++) {
            all[sent.get(k)] = partial.get(k);
        }
        return List.of(all);
    }

    /** Sends the items; one result per item. */
    private List<AppendResult> appendItems(Selected s, List<AppendArgument.Item> items) {
        AppendResult[] results = new AppendResult[items.size()];
        boolean multi = settings.multiappend() && has(ConnectorCapability.MULTIAPPEND);
        int pauses = 0;
        int i = 0;
        while (i < items.size()) {
            if (results[i] != null) {
                i++;
                continue;
            }
            int end = i;
            long bytes = 0;
            while (end < items.size() && results[end] == null && end - i < settings.appendBatchMessages()
                    && (end == i || bytes + items.get(end).content().size() <= settings.appendBatchBytes())) {
                bytes += items.get(end).content().size();
                end++;
            }
            List<AppendArgument.Item> group = items.subList(i, end);
            rate.acquire(group.size(), bytes);
            try {
                if (multi && group.size() > 1) {
                    appendMulti(s, group, results, i);
                } else {
                    appendEach(s, group, results, i);
                }
            } catch (StopAppending stop) {
                if (stop.failure.kind() == ConnectorException.Kind.THROTTLED && pauses < MAX_THROTTLE_PAUSES) {
                    // the server asks to slow down: wait as long as it says, then send what it did
                    // not store (messages it stored keep their results)
                    pauses++;
                    pause(s, stop.failure);
                    i = 0;
                    continue;
                }
                if (!anyStored(results)) {
                    throw stop.failure;
                }
                // Some messages are stored already: report the rest as refused rather than throw,
                // which would lose the stored messages' results and copy them twice on a retry.
                for (int k = 0; k < results.length; k++) {
                    if (results[k] == null) {
                        results[k] = AppendResult.refused(stop.reply.toString());
                    }
                }
                return List.of(results);
            }
            i = end;
        }
        return List.of(results); // (throws if a message was left without a result)
    }

    /** Times a throttled APPEND is waited out and resent before the failure goes to the engine. */
    static final int MAX_THROTTLE_PAUSES = 3;
    /** Longest single pause for a throttling answer inside one append call: 10 min. */
    static final java.time.Duration MAX_THROTTLE_PAUSE = java.time.Duration.ofMinutes(10);

    private void pause(Selected s, ConnectorException throttled) {
        java.time.Duration wait = throttled.retryAfter().orElse(ImapErrors.DEFAULT_BACKOFF);
        if (wait.compareTo(MAX_THROTTLE_PAUSE) > 0) {
            wait = MAX_THROTTLE_PAUSE;
        }
        LOG.warn("Stalled: {} throttles APPEND into '{}' of '{}' ({}); pausing {} s", wire.where(), s.name, mailbox,
                throttled.getMessage(), wait.toMillis() / 1000.0);
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw throttled;
        }
    }

    /** One MULTIAPPEND command; on refusal the group is sent again message by message. */
    private void appendMulti(Selected s, List<AppendArgument.Item> group, AppendResult[] results, int offset) {
        Response done = wire.run("APPEND", new AppendArgument(wire, s.name, group), r -> { });
        ServerReply reply = ServerReply.of(done);
        if (done.isOK()) {
            long[] validity = {0};
            List<Long> uids = appendUids(reply, validity);
            boolean match = uids.size() == group.size();
            if (!match && !uids.isEmpty()) {
                LOG.debug("APPENDUID of {} lists {} UIDs for {} messages: ignored", wire.where(), uids.size(), group.size());
            }
            for (int k = 0; k < group.size(); k++) {
                results[offset + k] = AppendResult.stored(match ? uids.get(k) : 0, validity[0]);
            }
            return;
        }
        checkStop(s, reply);
        // RFC 3502: a refused MULTIAPPEND stores nothing. Find the message(s) the server objects to.
        LOG.debug("MULTIAPPEND of {} messages into '{}' on {} refused ({}); appending one by one",
                group.size(), s.name, wire.where(), reply);
        appendEach(s, group, results, offset);
    }

    /** One APPEND per message; pipelined when every literal may be sent without waiting. */
    private void appendEach(Selected s, List<AppendArgument.Item> group, AppendResult[] results, int offset) {
        boolean pipeline = true;
        for (AppendArgument.Item item : group) {
            pipeline &= wire.nonSyncLiteral(item.content().size());
        }
        if (!pipeline) {
            for (int k = 0; k < group.size(); k++) {
                Response done = wire.run("APPEND", new AppendArgument(wire, s.name, List.of(group.get(k))), r -> { });
                results[offset + k] = single(s, done);
            }
            return;
        }
        List<ImapWire.Pending> pending = new ArrayList<>(group.size());
        for (AppendArgument.Item item : group) {
            pending.add(wire.send("APPEND", new AppendArgument(wire, s.name, List.of(item))));
        }
        StopAppending stop = null;
        for (int k = 0; k < group.size(); k++) {
            Response done = wire.await(pending.get(k), r -> { });
            try {
                results[offset + k] = single(s, done);
            } catch (StopAppending e) {
                if (stop == null) {
                    stop = e;
                }
            }
        }
        if (stop != null) {
            throw stop;
        }
    }

    private AppendResult single(Selected s, Response done) {
        ServerReply reply = ServerReply.of(done);
        if (done.isOK()) {
            long[] validity = {0};
            List<Long> uids = appendUids(reply, validity);
            return AppendResult.stored(uids.size() == 1 ? uids.get(0) : 0, validity[0]);
        }
        checkStop(s, reply);
        return AppendResult.refused(reply.toString());
    }

    /** Over quota or throttled: no point sending more. */
    private void checkStop(Selected s, ServerReply reply) {
        ConnectorException.Kind kind = ImapErrors.kindOf(reply);
        if (reply.hasCode("LIMIT") || reply.hasCode("TOOBIG")) {
            return; // in APPEND, [LIMIT]/[TOOBIG] concern this message (e.g. its size): a refusal
        }
        if (kind == ConnectorException.Kind.QUOTA || kind == ConnectorException.Kind.THROTTLED) {
            throw new StopAppending(reply, ImapErrors.refused("APPEND into folder '" + s.name + "' of '" + mailbox + "'",
                    wire.where(), reply));
        }
    }

    /** Parses {@code [APPENDUID uidvalidity uid-set]} (RFC 4315 section 3); empty if absent or malformed. */
    static List<Long> appendUids(ServerReply reply, long[] validity) {
        if (!reply.hasCode("APPENDUID") || reply.codeArgs() == null) {
            return List.of();
        }
        String[] parts = reply.codeArgs().trim().split("\\s+");
        if (parts.length != 2) {
            return List.of();
        }
        try {
            long v = Long.parseLong(parts[0]);
            List<Long> uids = UidSets.parse(parts[1]);
            validity[0] = v;
            return uids;
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static boolean anyStored(AppendResult[] results) {
        for (AppendResult r : results) {
            if (r != null && r.stored()) {
                return true;
            }
        }
        return false;
    }

    private void logDropped(Selected s, Set<String> dropped) {
        Set<String> fresh = new TreeSet<>();
        for (String k : dropped) {
            if (s.droppedKeywordsLogged.add(k)) {
                fresh.add(k);
            }
        }
        if (!fresh.isEmpty()) {
            LOG.warn("Folder '{}' of '{}' on {} does not store the keywords {} (PERMANENTFLAGS, or not a valid IMAP"
                    + " keyword); messages are stored without them", s.name, mailbox, wire.where(), fresh);
        }
    }

    /** Whether the bytes contain NUL, which only a literal8 may carry (RFC 3516 section 4.4). */
    private static boolean containsNul(MessageContent content) {
        try (InputStream in = content.openStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int k = 0; k < n; k++) {
                    if (buf[k] == 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false; // sending will fail with the read error
        }
    }

    /** Thrown inside {@link #append} to stop at an over-quota or throttling answer. */
    private static final class StopAppending extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ServerReply reply;
        private final ConnectorException failure;

        StopAppending(ServerReply reply, ConnectorException failure) {
            super(null, null, false, false);
            this.reply = reply;
            this.failure = failure;
        }
    }

    // ---------------------------------------------------------------------------------- labels

    /**
     * Gmail's system labels by the special-use attribute of their folder (Google's IMAP
     * extensions, {@code X-GM-LABELS}: {@code \\Inbox}, {@code \\Sent}, {@code \\Draft},
     * {@code \\Important}, {@code \\Starred}, {@code \\Spam}, {@code \\Trash}), attribute in
     * lower case. {@code \\All} has none: every message is in All Mail.
     */
    private static final Map<String, String> SYSTEM_LABELS = Map.of(
            "\\sent", "\\Sent",
            "\\drafts", "\\Draft",
            "\\important", "\\Important",
            "\\flagged", "\\Starred",
            "\\junk", "\\Spam",
            "\\trash", "\\Trash");

    /** The target's folders' LIST attributes by name, once asked for; {@code null} before. */
    private Map<String, Set<String>> folderAttributes;

    /**
     * Adds the Gmail label of {@code labelFolder} to the messages:
     * {@code UID STORE <uid-set> +X-GM-LABELS (<label>)} in the selected {@code folder}, one
     * command per UID set of at most {@value #MAX_SET_CHARS} characters, pipelined. Adding a label
     * a message has is no change (Gmail answers OK), so a repeat is harmless.
     *
     * <p>The label of a folder: by its special-use attribute (RFC 6154, as Gmail lists it) the
     * system label ({@code INBOX} → {@code \\Inbox}, {@code \\Sent} → {@code \\Sent},
     * {@code \\Drafts} → {@code \\Draft}, {@code \\Important} → {@code \\Important},
     * {@code \\Flagged} → {@code \\Starred}, {@code \\Junk} → {@code \\Spam},
     * {@code \\Trash} → {@code \\Trash}), sent as an atom; {@code \\All} (All Mail) means no
     * label, and no command is sent. Any other folder's label is its full name, hierarchy
     * separator {@code /} included (a Gmail label {@code Work/Clients} is the folder
     * {@code Work/Clients}), as the server names the folder: modified UTF-7 (RFC 3501 section
     * 5.1.3) unless {@code UTF8=ACCEPT} is enabled, as X-GM-LABELS gives and takes labels. It is
     * sent as a quoted string (RFC 3501 section 9, {@code astring}: {@code "} and {@code \\}
     * escaped), which also keeps a label such as {@code NIL} or one starting with a backslash from
     * being read as an atom or a system label; as a literal if it holds 8-bit UTF-8.
     *
     * @throws ConnectorException of kind {@link ConnectorException.Kind#REFUSED} when the server
     *                            answers {@code NO} (or another kind by its response code)
     */
    @Override
    public void addLabels(String folder, Collection<Long> uids, String labelFolder) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(uids, "uids");
        Objects.requireNonNull(labelFolder, "labelFolder");
        checkOpen();
        if (!has(ConnectorCapability.FOLDER_LABELS)) {
            throw new UnsupportedOperationException(wire.where() + " does not offer X-GM-EXT-1: no labels");
        }
        if (uids.isEmpty()) {
            return;
        }
        Argument label = label(labelFolder);
        if (label == null) {
            return; // All Mail: every message is shown there
        }
        Selected s = ensureSelected(folder);
        List<ImapWire.Pending> pending = new ArrayList<>();
        for (String set : UidSets.format(uids, MAX_SET_CHARS)) {
            Argument args = new Argument();
            args.writeAtom(set);
            args.writeAtom("+" + ImapWire.X_GM_LABELS);
            args.writeArgument(label);
            pending.add(wire.send("UID STORE", args));
        }
        ConnectorException failure = null;
        for (ImapWire.Pending p : pending) {
            Response done = wire.await(p, r -> { });
            if (!done.isOK() && failure == null) {
                failure = ImapErrors.refused("STORE of label of folder '" + labelFolder + "' on messages of folder '"
                        + s.name + "' of '" + mailbox + "'", wire.where(), ServerReply.of(done));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The label list {@code (label)} for a folder; {@code null} for All Mail. */
    Argument label(String labelFolder) {
        Argument list = new Argument();
        if (labelFolder.equalsIgnoreCase("INBOX")) {
            return list.writeAtom("\\Inbox");
        }
        Set<String> attributes = attributesOf(labelFolder);
        for (String a : attributes) {
            String lower = a.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("\\all")) {
                return null;
            }
            String system = SYSTEM_LABELS.get(lower);
            if (system != null) {
                return list.writeAtom(system);
            }
        }
        wire.ensureNamespace();
        String name = wire.toServer(labelFolder);
        if (!wire.supportsUtf8()) {
            name = org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder.encode(name);
        }
        if (name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return list.writeAtom(quoted(name));
        }
        return list.writeString(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An RFC 3501 quoted string: {@code "} and {@code \\} escaped (RFC 3501 section 9, {@code quoted-specials}). */
    static String quoted(String ascii) {
        StringBuilder sb = new StringBuilder(ascii.length() + 2).append('"');
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** A target folder's LIST attributes (listed once, again for a folder not seen yet); empty if unknown. */
    private Set<String> attributesOf(String folder) {
        if (folderAttributes == null || !folderAttributes.containsKey(folder)) {
            Map<String, Set<String>> all = new java.util.HashMap<>();
            for (FolderInfo f : listFolders()) {
                all.put(f.name(), f.attributes());
            }
            folderAttributes = all;
        }
        return folderAttributes.getOrDefault(folder, Set.of());
    }

    // ---------------------------------------------------------------------------------- flags

    @Override
    public Map<Long, MessageFlags> fetchFlags(String folder, Collection<Long> uids) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(uids, "uids");
        if (uids.isEmpty()) {
            return Map.of();
        }
        ensureSelected(folder);
        Set<Long> wanted = new HashSet<>(uids);
        Map<Long, MessageFlags> all = fetchFlags(UidSets.format(wanted, MAX_SET_CHARS), 0, 1, UidSets.MAX_UID);
        all.keySet().retainAll(wanted);
        return all;
    }

    @Override
    public void updateFlags(String folder, List<FlagUpdate> updates) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(updates, "updates");
        if (updates.isEmpty()) {
            return;
        }
        Selected s = ensureSelected(folder);
        Map<String, List<Long>> add = new LinkedHashMap<>();
        Map<String, List<Long>> remove = new LinkedHashMap<>();
        Set<String> dropped = new TreeSet<>();
        for (FlagUpdate u : updates) {
            if (!u.add().isEmpty()) {
                List<String> notAllowed = new ArrayList<>();
                String list = ImapFlags.flagList(u.add(), s::acceptsKeyword, notAllowed);
                dropped.addAll(notAllowed);
                if (!list.equals("()")) {
                    add.computeIfAbsent(list, k -> new ArrayList<>()).add(u.uid());
                }
            }
            if (!u.remove().isEmpty()) {
                String list = ImapFlags.flagList(u.remove(), k -> true, new ArrayList<>());
                if (!list.equals("()")) {
                    remove.computeIfAbsent(list, k -> new ArrayList<>()).add(u.uid());
                }
            }
        }
        logDropped(s, dropped);
        List<ImapWire.Pending> pending = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : remove.entrySet()) {
            for (String set : UidSets.format(e.getValue(), MAX_SET_CHARS)) {
                pending.add(wire.send("UID STORE " + set + " -FLAGS.SILENT " + e.getKey(), null));
            }
        }
        for (Map.Entry<String, List<Long>> e : add.entrySet()) {
            for (String set : UidSets.format(e.getValue(), MAX_SET_CHARS)) {
                pending.add(wire.send("UID STORE " + set + " +FLAGS.SILENT " + e.getKey(), null));
            }
        }
        ConnectorException failure = null;
        for (ImapWire.Pending p : pending) {
            Response done = wire.await(p, r -> { });
            if (!done.isOK() && failure == null) {
                failure = ImapErrors.refused("STORE of flags in folder '" + s.name + "' of '" + mailbox + "'",
                        wire.where(), ServerReply.of(done));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
