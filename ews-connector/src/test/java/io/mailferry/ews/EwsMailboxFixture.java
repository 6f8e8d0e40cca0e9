package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SeedMessage;
import io.mailferry.core.spi.contract.StoredMessage;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeFolder;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh mailbox on a {@link FakeEwsServer}, prepared and read back through the fake's model
 * (not through the connector), opened by the connector with a service account holding
 * ApplicationImpersonation.
 *
 * <p>How IMAP flags are stored on the Exchange side is restated here independently of the
 * connector's code: {@code \Seen} = IsRead, {@code \Flagged} = flag status 2, {@code \Answered} =
 * last verb 102, {@code $Forwarded} = last verb 104 (or MailFerry's property next to
 * {@code \Answered}), {@code \Draft} = MSGFLAG_UNSENT, keywords = categories except
 * {@code $}-keywords and {@code \Deleted}, which live in MailFerry's property.
 */
public final class EwsMailboxFixture implements MailboxFixture {

    static final String ADMIN = "CONTOSO\\migrator";
    static final String ADMIN_PASSWORD = "S3cret!migrator";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final FakeEwsServer server;
    private final EwsConnectorProvider provider;
    private final FakeMailbox mailbox;
    private final MigrationEndpoint endpoint;

    /**
     * @param server   a running fake whose exchange has the service account {@link #ADMIN}
     * @param provider the connector under test
     */
    public EwsMailboxFixture(FakeEwsServer server, EwsConnectorProvider provider) {
        this.server = server;
        this.provider = provider;
        String address = "user" + COUNTER.incrementAndGet() + "@contoso.test";
        this.mailbox = server.exchange().mailbox(address);
        this.endpoint = endpoint(server, "fake-exchange");
    }

    /** The endpoint of a fake server, impersonating with {@link #ADMIN}. */
    static MigrationEndpoint endpoint(FakeEwsServer server, String name) {
        return EwsEndpoints.exchange(name).host(server.host()).port(server.port()).security(Security.NONE)
                .adminCredentials(new Credentials(ADMIN, ADMIN_PASSWORD))
                .property(EwsProperties.URL, server.ewsUrl().toString())
                .build();
    }

    /** Returns the mailbox's model. */
    public FakeMailbox mailbox() {
        return mailbox;
    }

    /** Returns the endpoint the sessions use. */
    public MigrationEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public char separator() {
        return '/';
    }

    @Override
    public void createFolder(String name) {
        mailbox.createFolder(name, "IPF.Note");
    }

    /**
     * Exchange's special folders exist in every mailbox under localised names: "creating" one gives
     * the distinguished folder of that role the name (Sent Items, Deleted Items, Drafts, Junk E-mail).
     */
    @Override
    public boolean canCreateSpecialUseFolders() {
        return true;
    }

    @Override
    public void createFolder(String name, io.mailferry.core.FolderRole role) {
        String distinguished = switch (role) {
            case SENT -> "sentitems";
            case TRASH -> "deleteditems";
            case DRAFTS -> "drafts";
            case JUNK -> "junkemail";
            default -> throw new UnsupportedOperationException("Exchange has no distinguished folder for " + role);
        };
        if (name.contains("/")) {
            throw new UnsupportedOperationException("distinguished folders are top-level: " + name);
        }
        mailbox.rename(mailbox.distinguished(distinguished), name);
    }

    @Override
    public boolean canCreateNonSelectableFolders() {
        return true;
    }

    /** A calendar folder: not mail, so listed as a non-selectable parent of mail folders below it. */
    @Override
    public void createNonSelectableFolder(String name) {
        mailbox.createFolder(name, "IPF.Appointment");
    }

    @Override
    public List<String> folderNames() {
        List<String> out = new ArrayList<>();
        for (FakeFolder f : mailbox.folders()) {
            if (f.distinguished() != null && (f.distinguished().equals("root")
                    || f.distinguished().equals("msgfolderroot"))) {
                continue;
            }
            out.add(mailbox.path(f));
        }
        return out;
    }

    private FakeFolder folder(String name) {
        return mailbox.folder(name).orElseThrow(() -> new IllegalArgumentException("no folder " + name));
    }

    @Override
    public long append(String folder, SeedMessage message) {
        FakeItem item = mailbox.deliver(folder(folder), message.raw(), false, message.internalDate());
        mailbox.change(item, i -> store(i, message.flags()));
        return item.article();
    }

    @Override
    public List<StoredMessage> messages(String folder) {
        List<StoredMessage> out = new ArrayList<>();
        for (FakeItem i : mailbox.items(folder(folder))) {
            out.add(new StoredMessage(i.article(), i.mime(), flags(i), i.received()));
        }
        return out;
    }

    @Override
    public void setFlags(String folder, long uid, MessageFlags flags) {
        mailbox.change(item(folder, uid), i -> store(i, flags));
    }

    @Override
    public void expunge(String folder, long uid) {
        mailbox.delete(item(folder, uid));
    }

    private FakeItem item(String folder, long uid) {
        return mailbox.items(folder(folder)).stream().filter(i -> i.article() == uid).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no UID " + uid + " in " + folder));
    }

    @Override
    public SourceMailbox openSource() {
        return provider.openSource(endpoint, MailboxAccess.impersonating(mailbox.address(),
                new Credentials(ADMIN, ADMIN_PASSWORD)));
    }

    @Override
    public TargetMailbox openTarget() {
        return provider.openTarget(endpoint, MailboxAccess.impersonating(mailbox.address(),
                new Credentials(ADMIN, ADMIN_PASSWORD)));
    }

    @Override
    public void close() {
        // the mailbox stays in the shared fake; every fixture has its own address
    }

    // ------------------------------------------------------------ flags on the Exchange side

    /** Reads an item's IMAP flags from its Exchange properties. */
    public static MessageFlags flags(FakeItem i) {
        Set<String> f = new TreeSet<>();
        if (i.read()) {
            f.add(MessageFlags.SEEN);
        }
        if (i.flagStatus() == 2) {
            f.add(MessageFlags.FLAGGED);
        }
        if (i.lastVerb() == 102 || i.lastVerb() == 103) {
            f.add(MessageFlags.ANSWERED);
        } else if (i.lastVerb() == 104) {
            f.add("$Forwarded");
        }
        if (i.draft()) {
            f.add(MessageFlags.DRAFT);
        }
        for (String c : i.categories()) {
            f.add(c.replace(' ', '_'));
        }
        String extras = i.named("MailFerryImapFlags");
        if (extras != null) {
            for (String x : extras.trim().split("\\s+")) {
                if (!x.isEmpty()) {
                    f.add(x);
                }
            }
        }
        return MessageFlags.of(f);
    }

    /** Stores IMAP flags as Exchange properties, as Exchange's clients would see them. */
    static void store(FakeItem item, MessageFlags flags) {
        item.setRead(flags.contains(MessageFlags.SEEN));
        item.setFlagStatus(flags.contains(MessageFlags.FLAGGED) ? 2 : 0);
        boolean answered = flags.contains(MessageFlags.ANSWERED);
        boolean forwarded = flags.contains("$Forwarded");
        item.setLastVerb(answered ? 102 : forwarded ? 104 : 0);
        item.setDraft(flags.contains(MessageFlags.DRAFT));
        List<String> categories = new ArrayList<>();
        List<String> extras = new ArrayList<>();
        if (flags.contains(MessageFlags.DELETED)) {
            extras.add(MessageFlags.DELETED);
        }
        if (answered && forwarded) {
            extras.add("$Forwarded");
        }
        for (String k : flags.keywords()) {
            if (k.equals("$Forwarded")) {
                continue;
            }
            (k.startsWith("$") ? extras : categories).add(k);
        }
        item.setCategories(categories);
        item.setNamed("MailFerryImapFlags", extras.isEmpty() ? null : String.join(" ", extras));
    }
}
