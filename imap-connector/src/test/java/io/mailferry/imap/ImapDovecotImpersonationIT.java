package io.mailferry.imap;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.RawMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The connector's two ways of opening another user's mailbox with administrator credentials, on a
 * Dovecot with a master user: the login string {@code user*admin} ({@link Impersonation.Mode#LOGIN_STRING})
 * and SASL PLAIN with the user as authorization identity ({@link Impersonation.Mode#SASL_AUTHORIZATION_ID});
 * what lands where is checked with each user's own login through {@link ImapTestClient}.
 */
class ImapDovecotImpersonationIT {

    private static final Credentials ADMIN = new Credentials("mailadmin", "Adm1n-Secr3t-pw");
    private static final Map<String, String> USERS = Map.of(
            "alice", "alice-Secr3t", "bob", "bob-Secr3t", "carol", "carol-Secr3t", "dave", "dave-Secr3t");
    private static final Instant DATE = Instant.parse("2022-02-03T04:05:06Z");

    private static DovecotServer dovecot;
    private final ImapConnectorProvider provider = new ImapConnectorProvider();

    @BeforeAll
    static void start() {
        DovecotServer.assumeInstalled();
        dovecot = server();
    }

    @AfterAll
    static void stop() {
        if (dovecot != null) {
            dovecot.stop();
        }
    }

    private static DovecotServer server() {
        DovecotServer.Builder b = DovecotServer.builder().masterUser(ADMIN.username(), ADMIN.password());
        USERS.forEach(b::user);
        return b.build().start();
    }

    private static MigrationEndpoint endpoint(DovecotServer server, Impersonation impersonation, Credentials admin) {
        return endpoint(server, impersonation, admin, AuthenticationMethod.AUTO);
    }

    private static MigrationEndpoint endpoint(DovecotServer server, Impersonation impersonation, Credentials admin,
            AuthenticationMethod method) {
        return MigrationEndpoint.imap("dovecot-admin").host(server.host()).port(server.port()).security(Security.NONE)
                .authentication(method).adminCredentials(admin).impersonation(impersonation)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60)).build();
    }

    private static Impersonation impersonation(Impersonation.Mode mode) {
        return mode == Impersonation.Mode.LOGIN_STRING ? Impersonation.loginString(String.valueOf(DovecotServer.MASTER_SEPARATOR))
                : Impersonation.SASL_AUTHORIZATION_ID;
    }

    private static byte[] message(String subject) {
        return ("From: a@example.org\r\nTo: b@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject
                + "@mailferry.test>\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static ImapTestClient ownLogin(String user) {
        return ImapTestClient.connect(dovecot.host(), dovecot.port()).login(user, USERS.get(user));
    }

    /** {@code LOGIN "alice*mailadmin" <admin password>}, the classic Dovecot master login. */
    @Test
    void loginStringWritesIntoTheImpersonatedUsersMailboxOnly() {
        assertTargetWritesInto("alice", "bob", Impersonation.Mode.LOGIN_STRING, AuthenticationMethod.LOGIN);
    }

    /** {@code AUTHENTICATE PLAIN} with authzid {@code carol}, authcid {@code mailadmin}. */
    @Test
    void saslAuthorizationIdentityWritesIntoTheImpersonatedUsersMailboxOnly() {
        assertTargetWritesInto("carol", "dave", Impersonation.Mode.SASL_AUTHORIZATION_ID, AuthenticationMethod.AUTO);
    }

    private void assertTargetWritesInto(String user, String other, Impersonation.Mode mode, AuthenticationMethod method) {
        byte[] raw = message("for-" + user + "-" + mode);
        MigrationEndpoint ep = endpoint(dovecot, impersonation(mode), ADMIN, method);

        try (TargetMailbox target = provider.openTarget(ep, MailboxAccess.impersonating(user, ADMIN))) {
            target.createFolder("Migrated");
            List<AppendResult> results = target.append("Migrated", List.of(new AppendRequest(
                    MessageFlags.of(MessageFlags.SEEN), DATE, content(raw))));
            assertThat(results).singleElement().satisfies(r -> assertThat(r.stored()).isTrue());
        }

        try (ImapTestClient own = ownLogin(user); ImapTestClient someoneElse = ownLogin(other)) {
            assertThat(own.fetchMessages("Migrated")).singleElement().satisfies(m -> {
                assertThat(m.bytes()).isEqualTo(raw);
                assertThat(m.flags()).containsExactly("\\Seen");
                assertThat(m.internalDate()).isEqualTo(DATE);
            });
            assertThat(someoneElse.listFolders()).extracting(ImapTestClient.Folder::name).doesNotContain("Migrated");
        }
    }

    /** Read-only sessions; the login string goes through SASL PLAIN here (authentication AUTO). */
    @ParameterizedTest
    @EnumSource(Impersonation.Mode.class)
    void eachModeReadsTheImpersonatedUsersMailboxWithoutChangingIt(Impersonation.Mode mode) {
        String user = mode == Impersonation.Mode.LOGIN_STRING ? "bob" : "dave";
        byte[] raw = message("to-read-" + mode);
        long uid;
        try (ImapTestClient own = ownLogin(user)) {
            own.createFolder("Read-" + mode);
            uid = own.appendMessage("Read-" + mode, RawMessage.of("m", raw));
        }

        List<byte[]> delivered = new ArrayList<>();
        try (SourceMailbox source = provider.openSource(endpoint(dovecot, impersonation(mode), ADMIN),
                MailboxAccess.impersonating(user, ADMIN))) {
            source.selectFolder("Read-" + mode);
            List<MessageInfo> listed = source.listMessages("Read-" + mode, 0, 10);
            assertThat(listed).extracting(MessageInfo::uid).containsExactly(uid);
            source.fetchMessages("Read-" + mode, listed, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream in) throws IOException {
                    delivered.add(in.readAllBytes());
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    throw new AssertionError(reason);
                }
            });
        }

        assertThat(delivered).singleElement().isEqualTo(raw);
        try (ImapTestClient own = ownLogin(user)) {
            assertThat(own.fetchMessages("Read-" + mode)).singleElement()
                    .satisfies(m -> assertThat(m.flags()).as("no \\Seen from reading").isEmpty());
        }
    }

    /**
     * A wrong administrator password is an authentication failure whose message names the server
     * and the mailbox but carries neither password (nor the SASL PLAIN line that contains it). Each
     * mode gets its own server, so Dovecot's penalty for failed logins from one address does not
     * slow the other tests.
     */
    @ParameterizedTest
    @EnumSource(Impersonation.Mode.class)
    void wrongAdminPasswordIsAnAuthenticationFailureWithoutThePassword(Impersonation.Mode mode) {
        String wrong = "Wr0ng-Adm1n-pw-" + mode.ordinal();
        Credentials badAdmin = new Credentials(ADMIN.username(), wrong);
        try (DovecotServer own = server()) {
            MigrationEndpoint ep = endpoint(own, impersonation(mode), badAdmin);

            AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class,
                    () -> provider.openTarget(ep, MailboxAccess.impersonating("alice", badAdmin)).close());

            assertThat(e).as("openTarget with a wrong admin password").isNotNull();
            assertThat(e.kind()).isEqualTo(ConnectorException.Kind.AUTHENTICATION);
            String plainLine = Base64.getEncoder().encodeToString(("alice\0" + ADMIN.username() + "\0" + wrong)
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(List.of(String.valueOf(e.getMessage()), String.valueOf(e), stackText(e))).allSatisfy(text -> assertThat(text)
                    .contains(own.host() + ":" + own.port())
                    .contains("alice")
                    .doesNotContain(wrong)
                    .doesNotContain(ADMIN.password())
                    .doesNotContain(plainLine));
        }
    }

    /** The master user may only open existing mailboxes ({@code pass = yes}): "nobody" is refused. */
    @ParameterizedTest
    @EnumSource(Impersonation.Mode.class)
    void impersonatingAMailboxThatDoesNotExistIsAnAuthenticationFailure(Impersonation.Mode mode) {
        try (DovecotServer own = server()) {
            MigrationEndpoint ep = endpoint(own, impersonation(mode), ADMIN);

            AuthenticationFailedException e = catchThrowableOfType(AuthenticationFailedException.class,
                    () -> provider.openSource(ep, MailboxAccess.impersonating("nobody", ADMIN)).close());

            assertThat(e).as("openSource of an unknown mailbox").isNotNull();
            assertThat(e.getMessage()).contains("nobody").doesNotContain(ADMIN.password());
        }
    }

    private static String stackText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t).append('\n');
        }
        return b.toString();
    }

    private static MessageContent content(byte[] raw) {
        return new MessageContent() {
            @Override
            public long size() {
                return raw.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(raw);
            }
        };
    }
}
