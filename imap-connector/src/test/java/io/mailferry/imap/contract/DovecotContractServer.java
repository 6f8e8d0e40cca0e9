package io.mailferry.imap.contract;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.testing.DovecotServer;

import java.time.Duration;
import java.util.EnumSet;

/**
 * A private Dovecot for one contract test class: {@value #USERS} users, so every test gets a fresh,
 * empty mailbox (Dovecot creates it at the first login), and the special-use names the kit uses
 * ({@code Gesendete Objekte} = {@code \Sent}, {@code Papierkorb} = {@code \Trash}) declared but not
 * auto-created, so a fresh mailbox holds only INBOX.
 */
final class DovecotContractServer implements AutoCloseable {

    /** Users per server: more than the tests of one contract class. */
    static final int USERS = 48;

    private final DovecotServer server;
    private int next;

    private DovecotContractServer(DovecotServer server) {
        this.server = server;
    }

    /**
     * Starts a server, or skips the calling test class when Dovecot is not installed
     * ({@link DovecotServer#assumeInstalled()}).
     *
     * @param separator {@code /} or {@code .}
     * @return the running server
     */
    static DovecotContractServer start(char separator) {
        return start(separator, null);
    }

    /**
     * Starts a server that announces only the given capabilities after login (Dovecot still
     * accepts its extensions; the connector must not use what is not announced), or skips the
     * calling test class when Dovecot is not installed.
     *
     * @param separator    {@code /} or {@code .}
     * @param capabilities e.g. {@code "IMAP4rev1"}, or {@code null} for all of Dovecot's
     * @return the running server
     */
    static DovecotContractServer start(char separator, String capabilities) {
        DovecotServer.assumeInstalled();
        DovecotServer.Builder b = DovecotServer.builder().separator(separator)
                .declareSpecialUseFolder("\\Sent", "Gesendete Objekte")
                .declareSpecialUseFolder("\\Trash", "Papierkorb");
        if (capabilities != null) {
            b.imapCapability(capabilities);
        }
        for (int i = 1; i <= USERS; i++) {
            b.user(user(i), password(i));
        }
        return new DovecotContractServer(b.build().start());
    }

    private static String user(int i) {
        return "contract" + i;
    }

    private static String password(int i) {
        return "pw-contract" + i + "-Secr3t";
    }

    /** Returns the server. */
    DovecotServer server() {
        return server;
    }

    /**
     * A fixture on the next unused user's mailbox: prepared through {@code ImapTestClient},
     * opened by the connector with the user's own login.
     *
     * @return the fixture
     * @throws IllegalStateException if every user has been used
     */
    synchronized ImapMailboxFixture nextFixture() {
        if (next >= USERS) {
            throw new IllegalStateException("all " + USERS + " users of " + server + " are used; raise USERS");
        }
        next++;
        Credentials user = new Credentials(user(next), password(next));
        return new ImapMailboxFixture(server.login(user.username()), endpoint("dovecot").build(),
                MailboxAccess.own(user), EnumSet.allOf(ImapMailboxFixture.Feature.class));
    }

    /**
     * @param name endpoint name
     * @return a plain-IMAP endpoint for this server, to adjust
     */
    MigrationEndpoint.Builder endpoint(String name) {
        return MigrationEndpoint.imap(name).host(server.host()).port(server.port()).security(Security.NONE)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        server.stop();
    }
}
