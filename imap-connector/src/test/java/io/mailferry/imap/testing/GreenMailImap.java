package io.mailferry.imap.testing;

import com.icegreen.greenmail.util.GreenMail;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.testing.GreenMailServer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process GreenMail server with IMAP and IMAPS on 127.0.0.1, dynamic ports, for tests of the
 * IMAP connector and of modules built on it (contract tests, engine tests). Each
 * {@link #newUser(String)} is a fresh, empty mailbox, so tests sharing one server do not see each
 * other's mail.
 *
 * <pre>{@code
 * try (GreenMailImap server = GreenMailImap.start()) {
 *     Credentials alice = server.newUser("alice");
 *     try (TargetMailbox t = server.openTarget(alice)) { ... }
 * }
 * }</pre>
 */
public final class GreenMailImap implements AutoCloseable {
    /** Host every server listens on. */
    public static final String HOST = "127.0.0.1";
    private static final AtomicInteger USERS = new AtomicInteger();

    private final GreenMailServer server;
    private final ImapConnectorProvider provider = new ImapConnectorProvider();

    private GreenMailImap(GreenMailServer server) {
        this.server = server;
    }

    /**
     * Starts IMAP and IMAPS (GreenMail's self-signed certificate) on free ports.
     *
     * @return the running server; close it at the end
     */
    public static GreenMailImap start() {
        return new GreenMailImap(GreenMailServer.startWithImaps());
    }

    /** Returns the GreenMail instance, e.g. to inspect stored messages. */
    public GreenMail greenMail() {
        return server.greenMail();
    }

    /** Returns the plain IMAP port. */
    public int imapPort() {
        return server.imapPort();
    }

    /** Returns the IMAPS port. */
    public int imapsPort() {
        return server.imapsPort();
    }

    /**
     * Creates a user with an empty mailbox; its login is {@code prefix} plus a number unique in this JVM.
     *
     * @param prefix start of the login name, e.g. {@code alice}
     * @return the user's credentials
     */
    public Credentials newUser(String prefix) {
        String login = prefix + "-" + USERS.incrementAndGet();
        String password = "pw-" + login + "-Secr3t";
        server.greenMail().setUser(login + "@example.test", login, password);
        return new Credentials(login, password);
    }

    /**
     * An endpoint for the plain IMAP port (security NONE), short timeouts.
     *
     * @param name endpoint name
     * @return a builder to adjust
     */
    public MigrationEndpoint.Builder endpoint(String name) {
        return MigrationEndpoint.imap(name).host(HOST).port(imapPort()).security(Security.NONE)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30));
    }

    /**
     * An endpoint for the IMAPS port (security SSL); GreenMail's certificate is self-signed, so
     * connecting needs {@code acceptUntrustedCertificates(true)}.
     *
     * @param name endpoint name
     * @return a builder to adjust
     */
    public MigrationEndpoint.Builder sslEndpoint(String name) {
        return MigrationEndpoint.imap(name).host(HOST).port(imapsPort()).security(Security.SSL)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30));
    }

    /** Opens a source mailbox of a user on the plain port. */
    public SourceMailbox openSource(Credentials user) {
        return provider.openSource(endpoint("greenmail-source").build(), MailboxAccess.own(user));
    }

    /** Opens a target mailbox of a user on the plain port. */
    public TargetMailbox openTarget(Credentials user) {
        return provider.openTarget(endpoint("greenmail-target").build(), MailboxAccess.own(user));
    }

    @Override
    public void close() {
        server.close();
    }
}
