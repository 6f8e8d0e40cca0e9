package io.mailferry.ews;

import io.mailferry.core.spi.MessageFlags;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import io.mailferry.testing.CorpusFolder;
import io.mailferry.testing.CorpusMessage;
import io.mailferry.testing.CorpusUser;
import io.mailferry.testing.MailboxSnapshot;
import io.mailferry.testing.RawMessage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Loads real mail into fake Exchange mailboxes and takes snapshots of them, for end-to-end tests. */
final class EwsTestData {

    /** INTERNALDATE of messages without a usable Date header. */
    static final Instant BASE = Instant.parse("2001-05-14T08:00:00Z");

    /** Exchange's English names of the distinguished mail folders, by the IMAP name Dovecot gives their role. */
    static final Map<String, String> ROLE_NAMES = Map.of("Sent Items", "Sent", "Deleted Items", "Trash",
            "Drafts", "Drafts", "Junk E-mail", "Junk");

    private EwsTestData() {
    }

    /**
     * Loads an Enron mailbox into a fake one: CMU's {@code inbox} becomes the inbox,
     * {@code sent_items} the distinguished Sent Items, {@code deleted_items} Deleted Items, every
     * other folder is created with its CMU path ({@code calendar}, {@code contacts}… get the suffix
     * {@code _mail}: Exchange's own folders of those names hold no mail); messages get CRLF line ends, their Date as
     * received time, and a deterministic mix of read, flagged, replied, forwarded states and a
     * category.
     *
     * @param mb      the fake mailbox
     * @param user    the corpus user
     * @param counter numbers messages across calls (for the flag mix)
     * @return how many messages were loaded
     */
    static int load(FakeMailbox mb, CorpusUser user, int[] counter) {
        int n = 0;
        for (CorpusFolder f : user.folders()) {
            FakeFolder folder = folderFor(mb, f);
            for (CorpusMessage m : f.messages()) {
                RawMessage raw = RawMessage.of(m).withCrlfLineEndings();
                deliver(mb, folder, raw.bytes(), raw.internalDateIfSet().map(d -> d.toInstant()).orElse(null),
                        ++counter[0]);
                n++;
            }
        }
        return n;
    }

    private static FakeFolder folderFor(FakeMailbox mb, CorpusFolder f) {
        String name = f.imapName('/');
        return switch (name) {
            case "INBOX" -> mb.distinguished("inbox");
            case "sent_items" -> mb.distinguished("sentitems");
            case "deleted_items" -> mb.distinguished("deleteditems");
            default -> {
                // Exchange's own Calendar, Contacts, Tasks, Notes and Journal hold no mail: CMU
                // folders of those names get a suffix instead of landing in them
                String top = name.split("/")[0];
                boolean clash = java.util.Set.of("calendar", "contacts", "tasks", "notes", "journal")
                        .contains(top.toLowerCase(java.util.Locale.ROOT));
                yield mb.createFolder(clash ? top + "_mail" + name.substring(top.length()) : name, "IPF.Note");
            }
        };
    }

    /**
     * Delivers one message with the flag mix for number {@code i}.
     *
     * @return the item
     */
    static FakeItem deliver(FakeMailbox mb, FakeFolder folder, byte[] bytes, Instant date, int i) {
        Instant received = (date != null ? date : BASE.plusSeconds(i)).truncatedTo(ChronoUnit.SECONDS);
        FakeItem item = mb.deliver(folder, bytes, false, received);
        MessageFlags flags = flagMix(i);
        if (!flags.isEmpty()) {
            mb.change(item, it -> EwsMailboxFixture.store(it, flags));
        }
        return item;
    }

    /** A deterministic mix of the flags Exchange can hold. */
    static MessageFlags flagMix(int i) {
        List<String> f = new ArrayList<>();
        if (i % 3 == 0) {
            f.add(MessageFlags.SEEN);
        }
        if (i % 7 == 0) {
            f.add(MessageFlags.FLAGGED);
        }
        if (i % 11 == 0) {
            f.add(MessageFlags.ANSWERED);
        }
        if (i % 13 == 0) {
            f.add("$Forwarded");
        }
        if (i % 17 == 0) {
            f.add("Project_X");
        }
        if (i % 97 == 0) {
            f.add(MessageFlags.DELETED);
        }
        return MessageFlags.of(f);
    }

    /**
     * A snapshot of a fake mailbox as the connector lists it: its mail folders (hidden and
     * non-mail folders left out) with their messages, flags and received times.
     *
     * @param mb the mailbox
     * @return the snapshot
     */
    static MailboxSnapshot snapshot(FakeMailbox mb) {
        List<MailboxSnapshot.Folder> folders = new ArrayList<>();
        for (FakeFolder f : mb.folders()) {
            if (f.parentId() == null || f.id().equals(mb.root().id()) || !isMailUnderRoot(mb, f)) {
                continue;
            }
            List<MailboxSnapshot.Message> messages = new ArrayList<>();
            for (FakeItem i : mb.items(f)) {
                byte[] mime = i.mime();
                messages.add(new MailboxSnapshot.Message(i.article(), MailboxSnapshot.sha256(mime), mime.length,
                        new TreeSet<>(EwsMailboxFixture.flags(i).flags()),
                        i.received() == null ? BASE : i.received().truncatedTo(ChronoUnit.SECONDS)));
            }
            folders.add(new MailboxSnapshot.Folder(mb.path(f), true, Set.of(), messages));
        }
        return new MailboxSnapshot('/', folders);
    }

    /**
     * A mail folder below msgfolderroot, not hidden: what the connector lists as selectable (a mail
     * folder below a calendar or notes folder included, under a non-selectable parent).
     */
    private static boolean isMailUnderRoot(FakeMailbox mb, FakeFolder f) {
        String c = f.folderClass();
        boolean mail = c == null || c.startsWith("IPF.Note");
        if (!mail || "Conversation Action Settings".equals(f.displayName())) {
            return false;
        }
        Map<String, FakeFolder> byId = new java.util.HashMap<>();
        mb.folders().forEach(x -> byId.put(x.id(), x));
        for (FakeFolder p = f; p != null; p = p.parentId() == null ? null : byId.get(p.parentId())) {
            if (p.id().equals(mb.root().id())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compares a fake Exchange mailbox with a GreenMail target. GreenMail 2.1.13 parses APPEND's
     * date with a 12-hour clock ({@code hh}), so an INTERNALDATE between 12:00 and 12:59 arrives as
     * 00:00-00:59 of the same day; exactly those date differences are not counted.
     *
     * @param source  the source snapshot
     * @param target  the GreenMail snapshot
     * @return the differences, without GreenMail's own
     */
    static io.mailferry.testing.SnapshotComparison compareWithGreenMail(MailboxSnapshot source,
                                                                        MailboxSnapshot target) {
        io.mailferry.testing.SnapshotComparison c = MailboxSnapshot.compare(source, target,
                name -> name.replace('/', '.'));
        List<io.mailferry.testing.SnapshotComparison.FolderDifference> folders = new ArrayList<>();
        for (var d : c.folders()) {
            var dates = d.dateMismatches().stream()
                    .filter(m -> !m.expected().minusSeconds(12 * 3600).equals(m.actual())
                            || m.expected().atZone(java.time.ZoneOffset.UTC).getHour() != 12)
                    .toList();
            var kept = new io.mailferry.testing.SnapshotComparison.FolderDifference(d.sourceFolder(), d.targetFolder(),
                    d.missing(), d.duplicated(), d.unexpected(), d.flagMismatches(), dates);
            if (!kept.isEmpty()) {
                folders.add(kept);
            }
        }
        return new io.mailferry.testing.SnapshotComparison(c.sourceMessages(), c.targetMessages(),
                c.comparedFolders(), c.missingFolders(), c.unexpectedFolders(), c.extraEmptyFolders(), folders);
    }

    /**
     * Top-level folders the engine's dictionary of usual names gives a role (FolderMapper's
     * localized-name layer), as the corpus has them, and the Exchange folder of that role.
     */
    private static final Map<String, String> BY_USUAL_NAME = Map.of("sent", "Sent Items", "sent items", "Sent Items",
            "sent mail", "Sent Items", "trash", "Deleted Items", "deleted items", "Deleted Items",
            "junk", "Junk E-mail", "spam", "Junk E-mail", "drafts", "Drafts", "draft", "Drafts");

    /**
     * IMAP folder names → the names MailFerry gives them on an Exchange target: the source's
     * separator becomes {@code /}, Dovecot's special-use folders are Exchange's, and a folder named
     * like one of Exchange's calendar, contacts, tasks, notes or journal folders becomes
     * {@code <Name> (mail)}.
     *
     * @param separator the source's hierarchy separator
     * @return the mapping
     */
    static UnaryOperator<String> toExchangeNames(char separator) {
        return toExchangeNames(separator, false);
    }

    /**
     * {@link #toExchangeNames(char)} for a source without special-use folders (GreenMail): there
     * the engine's dictionary of usual names gives top-level folders such as Enron's {@code sent}
     * their role, so they go to Exchange's folder of that role.
     *
     * @param separator the source's hierarchy separator
     * @return the mapping
     */
    static UnaryOperator<String> toExchangeNamesWithoutSpecialUse(char separator) {
        return toExchangeNames(separator, true);
    }

    private static UnaryOperator<String> toExchangeNames(char separator, boolean usualNames) {
        Map<String, String> byRole = Map.of("Sent", "Sent Items", "Trash", "Deleted Items", "Junk", "Junk E-mail",
                "Drafts", "Drafts");
        Map<String, String> nonMail = Map.of("contacts", "Contacts (mail)", "calendar", "Calendar (mail)",
                "tasks", "Tasks (mail)", "notes", "Notes (mail)", "journal", "Journal (mail)");
        return imapName -> {
            String name = imapName.replace(separator, '/');
            String top = name.split("/")[0];
            String alias = nonMail.get(top.toLowerCase(java.util.Locale.ROOT));
            if (alias != null) {
                return alias + name.substring(top.length());
            }
            String byName = !usualNames || name.contains("/") ? null
                    : BY_USUAL_NAME.get(name.toLowerCase(java.util.Locale.ROOT));
            return byName != null ? byName : byRole.getOrDefault(name, name);
        };
    }

    /** Folder names of a fake Exchange mailbox → names on a target whose special-use folders are Dovecot's. */
    static UnaryOperator<String> toDovecotNames() {
        return name -> ROLE_NAMES.getOrDefault(name, name);
    }
}
