package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DovecotServerIT {

    private static final byte[] HELLO = "From: a@example.org\r\nSubject: hello\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void dovecot() {
        DovecotServer.assumeInstalled();
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void startsWithEitherSeparatorAndStopReleasesThePort(char separator) throws IOException {
        DovecotServer server = DovecotServer.builder().separator(separator).user("alice", "secret").build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        server.start();
        int port = server.port();
        Path work = server.workDirectory();
        try (ImapTestClient alice = server.login("alice")) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(alice.separator()).isEqualTo(separator);
            assertThat(alice.createFolder("Archive")).isTrue();
            assertThat(alice.createFolder("Archive" + separator + "2019")).isTrue();
            assertThat(alice.createFolder("Archive")).isFalse();
            assertThat(alice.listFolders()).extracting(ImapTestClient.Folder::name)
                    .containsExactly("Archive", "Archive" + separator + "2019", "INBOX");
            assertThat(alice.capabilities()).contains("IMAP4REV1", "LITERAL+", "MULTIAPPEND", "UIDPLUS", "BINARY");
        }
        assertThat(Files.readString(server.logFile(), StandardCharsets.ISO_8859_1)).contains("starting up");
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThat(listening(port)).isFalse();
        assertThat(work).doesNotExist();
        server.stop(); // idempotent
    }

    @Test
    void masterUserLogsInWithTheLoginStringAndWithSaslPlainAuthorizationIdentity() {
        try (DovecotServer server = DovecotServer.builder().user("alice", "alice-pw").user("bob", "b:o:b")
                .masterUser("admin", "admin-pw").build().start()) {
            try (ImapTestClient alice = server.login("alice")) {
                assertThat(alice.append("INBOX", RawMessage.of("hello", HELLO)).appended()).isEqualTo(1);
            }
            try (ImapTestClient bob = server.login("bob")) { // a password with ':' survives the passwd-file
                assertThat(bob.messageCount("INBOX")).isZero();
            }
            assertThat(server.masterLogin("alice")).isEqualTo("alice*admin");
            try (ImapTestClient asAlice = server.loginAsMaster("alice")) {
                assertThat(asAlice.messageCount("INBOX")).isEqualTo(1);
            }
            try (ImapTestClient asBob = server.loginAsMaster("bob")) {
                assertThat(asBob.messageCount("INBOX")).isZero();
            }
            try (ImapTestClient asAlice = server.authenticateAsMaster("alice")) {
                assertThat(asAlice.messageCount("INBOX")).isEqualTo(1);
            }
            try (ImapTestClient plain = ImapTestClient.connect(server.host(), server.port())
                    .authenticatePlain(null, "bob", "b:o:b")) {
                assertThat(plain.messageCount("INBOX")).isZero();
            }
            assertThat(server.toString()).contains("admin").doesNotContain("admin-pw", "alice-pw");
        }
    }

    /**
     * One failed login per server: Dovecot delays repeated failures from one IP (4, 8, 15 s), so
     * each refusal gets a fresh server (about half a second each).
     */
    @Test
    void refusesWrongPasswordsUnknownUsersAndImpersonationByNormalUsers() {
        List<Function<DovecotServer, ImapTestClient>> refused = List.of(
                s -> ImapTestClient.connect(s.host(), s.port()).login("alice*admin", "wrong"),
                s -> ImapTestClient.connect(s.host(), s.port()).authenticatePlain("alice", "admin", "alice-pw"),
                s -> s.loginAsMaster("carol"),
                s -> ImapTestClient.connect(s.host(), s.port()).login("bob", "alice-pw"),
                // a normal user cannot act as another one
                s -> ImapTestClient.connect(s.host(), s.port()).authenticatePlain("alice", "bob", "b:o:b"));
        for (Function<DovecotServer, ImapTestClient> login : refused) {
            try (DovecotServer server = DovecotServer.builder().user("alice", "alice-pw").user("bob", "b:o:b")
                    .masterUser("admin", "admin-pw").build().start()) {
                assertThatThrownBy(() -> login.apply(server)).isInstanceOf(ImapTestException.class)
                        .hasMessageContaining("failed: NO [")
                        .hasMessageNotContaining("wrong").hasMessageNotContaining("-pw").hasMessageNotContaining("b:o:b");
            }
        }
    }

    @Test
    void twoServersAtOnce() {
        try (DovecotServer one = DovecotServer.builder().user("u", "p").build().start();
             DovecotServer two = DovecotServer.builder().user("u", "p").separator('.').build().start()) {
            assertThat(one.port()).isNotEqualTo(two.port());
            assertThat(one.pid()).isNotEqualTo(two.pid());
            try (ImapTestClient a = one.login("u"); ImapTestClient b = two.login("u")) {
                a.append("INBOX", RawMessage.of("m", HELLO));
                assertThat(a.messageCount("INBOX")).isEqualTo(1);
                assertThat(b.messageCount("INBOX")).isZero();
                assertThat(b.separator()).isEqualTo('.');
            }
            int port = one.port();
            one.stop();
            assertThat(listening(port)).isFalse();
            assertThat(two.isRunning()).isTrue();
            try (ImapTestClient b = two.login("u")) {
                assertThat(b.messageCount("INBOX")).isZero();
            }
        }
    }

    @Test
    void specialUseFoldersAreCreatedWithTheirAttributes() {
        try (DovecotServer server = DovecotServer.builder().user("u", "p").separator('.').specialUseFolders()
                .specialUseFolder("\\Sent", "Gesendete Elemente").specialUseFolder("\\Drafts", "Entwürfe")
                .build().start();
             ImapTestClient u = server.login("u")) {
            Map<String, List<String>> attrs = u.listFolders().stream().collect(Collectors.toMap(
                    ImapTestClient.Folder::name, f -> List.copyOf(f.attributes())));
            assertThat(attrs.keySet()).containsExactlyInAnyOrder("INBOX", "Entwürfe", "Gesendete Elemente", "Trash",
                    "Junk", "Archive");
            assertThat(attrs.get("Entwürfe")).contains("\\Drafts");
            assertThat(attrs.get("Gesendete Elemente")).contains("\\Sent");
            assertThat(attrs.get("Trash")).contains("\\Trash");
            assertThat(attrs.get("Junk")).contains("\\Junk");
            assertThat(attrs.get("Archive")).contains("\\Archive");
            assertThat(server.specialUseFolders()).containsEntry("\\Sent", "Gesendete Elemente");
            MailboxSnapshot snap = u.snapshot();
            assertThat(snap.folder("Gesendete Elemente").orElseThrow().specialUse()).contains("\\Sent");
            assertThat(snap.folder("INBOX").orElseThrow().specialUse()).isEmpty();
        }
    }

    @Test
    void maildirStorageRefusesDotsUnderSlashWhileTheDefaultAcceptsThem() {
        try (DovecotServer maildir = DovecotServer.builder().user("u", "p").storage(DovecotServer.Storage.MAILDIR)
                .mailFsync(DovecotServer.MailFsync.OPTIMIZED).build().start();
             DovecotServer mdbox = DovecotServer.builder().user("u", "p").build().start();
             ImapTestClient m = maildir.login("u");
             ImapTestClient s = mdbox.login("u")) {
            assertThatThrownBy(() -> m.createFolder("Mr. Smith")).isInstanceOf(ImapTestException.class)
                    .hasMessageContaining("CREATE Mr. Smith").hasMessageContaining("not allowed");
            assertThat(s.createFolder("Mr. Smith")).isTrue();
            assertThat(s.createFolder("~tilde")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(DovecotServer.Storage.class)
    void everyStorageKeepsUidValidityFlagsAndInternalDateAcrossSessions(DovecotServer.Storage storage) {
        OffsetDateTime date = OffsetDateTime.of(2001, 5, 14, 16, 39, 0, 0, ZoneOffset.ofHours(-7));
        try (DovecotServer server = DovecotServer.builder().user("u", "p").storage(storage).build().start()) {
            long inbox;
            long folder;
            try (ImapTestClient u = server.login("u")) {
                u.createFolder("Folder");
                u.append("INBOX", RawMessage.of("m", HELLO).withFlags("\\Seen", "$Label1").withInternalDate(date));
                u.append("Folder", RawMessage.of("m", HELLO));
                inbox = u.uidValidity("INBOX");
                folder = u.uidValidity("Folder");
            }
            try (ImapTestClient u = server.login("u")) {
                u.append("INBOX", RawMessage.of("m2", HELLO));
                assertThat(u.uidValidity("INBOX")).isEqualTo(inbox);
                assertThat(u.uidValidity("Folder")).isEqualTo(folder);
                MailboxSnapshot.Message m = u.snapshot().folder("INBOX").orElseThrow().messages().get(0);
                assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");
                assertThat(m.internalDate()).isEqualTo(date.toInstant());
                assertThat(m.sha256()).isEqualTo(MailboxSnapshot.sha256(HELLO));
            }
        }
    }

    @Test
    void failedStartReportsDovecotsOutput(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("dovecot");
        Files.writeString(fake, "#!/bin/sh\necho 'doveconf: Fatal: fake failure for the test' >&2\nexit 89\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String old = System.getProperty(DovecotServer.BINARY_PROPERTY);
        System.setProperty(DovecotServer.BINARY_PROPERTY, fake.toString());
        try {
            DovecotServer server = DovecotServer.builder().user("u", "p").build();
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited during start-up")
                    .hasMessageContaining("fake failure for the test");
            assertThat(server.isRunning()).isFalse();
            deleteTree(server.workDirectory());
        } finally {
            restore(old);
        }
    }

    @Test
    void startGivesUpAfterTheTimeoutAndKillsItsProcess(@TempDir Path dir) throws IOException {
        Path fake = dir.resolve("dovecot");
        Files.writeString(fake, "#!/bin/sh\nexec sleep 120\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        String old = System.getProperty(DovecotServer.BINARY_PROPERTY);
        System.setProperty(DovecotServer.BINARY_PROPERTY, fake.toString());
        try {
            DovecotServer server = DovecotServer.builder().user("u", "p").startTimeout(Duration.ofMillis(500)).build();
            long before = ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).count();
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not greet");
            long after = ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).count();
            assertThat(after).isEqualTo(before);
            deleteTree(server.workDirectory());
        } finally {
            restore(old);
        }
    }

    @Test
    void isInstalledAndBuilderValidation() {
        assertThat(DovecotServer.isInstalled()).isTrue();
        assertThat(DovecotServer.binary()).isPresent();
        assertThatThrownBy(() -> DovecotServer.builder().separator('\\')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DovecotServer.builder().user("a:b", "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DovecotServer.builder().user("a*b", "p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DovecotServer.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> DovecotServer.builder().specialUseFolder("\\Important", "X"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DovecotServer.builder().user("u", "p").specialUseFolder("\\Sent", "a/b").build())
                .isInstanceOf(IllegalStateException.class);
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(DovecotServer.BINARY_PROPERTY);
        } else {
            System.setProperty(DovecotServer.BINARY_PROPERTY, old);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
