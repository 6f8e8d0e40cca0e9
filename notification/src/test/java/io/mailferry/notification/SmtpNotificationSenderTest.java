package io.mailferry.notification;

import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationAttachment;
import io.mailferry.core.notification.NotificationException;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The SMTP sender against GreenMail's SMTP and SMTPS. */
class SmtpNotificationSenderTest {

    private static final Instant SENT = Instant.parse("2024-05-01T10:00:00Z");
    private static final byte[] CSV = "\uFEFFEmailAddress,Status\r\nterry@contoso.edu,Synced\r\nrené@contoso.edu,Failed\r\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BINARY = new byte[1000];

    static {
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) (i * 31);
        }
    }

    private static SmtpTestServer server;

    @BeforeAll
    static void startServer() {
        server = SmtpTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void purge() throws Exception {
        server.greenMail().purgeEmailFromAllMailboxes();
    }

    private static Notification notification(String... recipients) {
        return new Notification(List.of(recipients), "Migration batch Welle-1 (Zürich) has completed with errors",
                "Migration batch Welle-1 (Zürich) has completed with errors.\n\nMailboxes: 2\n", List.of(
                new NotificationAttachment("MigrationStatistics.csv", NotificationAttachment.CSV_UTF8, CSV),
                new NotificationAttachment("blob.bin", "application/octet-stream", BINARY)));
    }

    private static SmtpNotificationSender sender(SmtpSettings settings) {
        return new SmtpNotificationSender(settings, Clock.fixed(SENT, ZoneOffset.UTC));
    }

    @Test
    void theRecipientsGetTheTextAndTheAttachmentsByteForByte() throws Exception {
        sender(server.settings().fromName("MailFerry Reports").build())
                .send(notification("admin@contoso.edu", "ops@contoso.edu"));

        List<MimeMessage> received = server.awaitMessages(2);
        assertThat(received).hasSize(2);
        for (MimeMessage m : received) {
            assertThat(m.getSubject()).isEqualTo("Migration batch Welle-1 (Zürich) has completed with errors");
            assertThat(m.getFrom()).containsExactly(new InternetAddress(SmtpTestServer.LOGIN, "MailFerry Reports", "UTF-8"));
            assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Address::toString))
                    .containsExactly("admin@contoso.edu", "ops@contoso.edu");
            assertThat(m.getSentDate().toInstant()).isEqualTo(SENT);
            assertThat(m.getHeader("Auto-Submitted")).containsExactly("auto-generated");
            Multipart mixed = (Multipart) m.getContent();
            assertThat(mixed.getContentType()).startsWith("multipart/mixed");
            assertThat(mixed.getCount()).isEqualTo(3);
            Part text = mixed.getBodyPart(0);
            assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
            assertThat(((String) text.getContent()).replace("\r\n", "\n"))
                    .isEqualTo("Migration batch Welle-1 (Zürich) has completed with errors.\n\nMailboxes: 2\n");
            Part csv = mixed.getBodyPart(1);
            assertThat(csv.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(csv.getFileName()).isEqualTo("MigrationStatistics.csv");
            assertThat(csv.getContentType()).startsWith("text/csv").containsIgnoringCase("charset=UTF-8");
            assertThat(csv.getInputStream().readAllBytes()).isEqualTo(CSV);
            assertThat(mixed.getBodyPart(2).getFileName()).isEqualTo("blob.bin");
            assertThat(mixed.getBodyPart(2).getInputStream().readAllBytes()).isEqualTo(BINARY);
            assertThat(SmtpTestServer.raw(m)).doesNotContain(SmtpTestServer.PASSWORD);
        }
        assertThat(server.greenMail().getReceivedMessagesForDomain("contoso.edu")).hasSize(2);
    }

    @Test
    void aNotificationWithoutAttachmentsIsPlainText() throws Exception {
        sender(server.settings().build())
                .send(new Notification(List.of("admin@contoso.edu"), "Plain", "Just text.\n", List.of()));

        MimeMessage m = server.awaitMessages(1).get(0);
        assertThat(m.getContentType()).startsWith("text/plain");
        // GreenMail keeps the last line break as part of SMTP's end-of-data mark.
        assertThat(((String) m.getContent()).stripTrailing()).isEqualTo("Just text.");
    }

    @Test
    void withoutCredentialsItSendsWithoutLoggingIn() throws Exception {
        sender(server.settings().credentials(null).build()).send(notification("admin@contoso.edu"));

        assertThat(server.awaitMessages(1)).hasSize(1);
    }

    @Test
    void aRefusedLoginIsAFailureThatNamesTheUserButNotThePassword() {
        SmtpSettings settings = server.settings().credentials(new Credentials(SmtpTestServer.LOGIN, "Wrong-Secret-4242"))
                .build();

        NotificationException e = catchThrowableOfType(NotificationException.class,
                () -> sender(settings).send(notification("admin@contoso.edu")));

        assertThat(e.getMessage()).contains("127.0.0.1:" + server.smtpPort() + " (NONE)",
                "refused the login of " + SmtpTestServer.LOGIN, "1 recipient(s)");
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("Wrong-Secret-4242");
        assertThat(settings.toString()).contains(SmtpTestServer.LOGIN).doesNotContain("Wrong-Secret-4242");
        assertThat(server.greenMail().getReceivedMessages()).isEmpty();
    }

    @Test
    void implicitTlsWorksWithAnAcceptedCertificateAndFailsOnAnUntrustedOne() throws Exception {
        SmtpSettings.Builder tls = server.settings().security(Security.SSL).port(server.smtpsPort());

        sender(tls.acceptUntrustedCertificates(true).build()).send(notification("admin@contoso.edu"));
        assertThat(server.awaitMessages(1)).hasSize(1);

        assertThatThrownBy(() -> sender(tls.acceptUntrustedCertificates(false).build()).send(notification("admin@contoso.edu")))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("TLS handshake failed").hasMessageContaining("acceptUntrustedCertificates")
                .hasMessageNotContaining(SmtpTestServer.PASSWORD);
    }

    @Test
    void starttlsIsRequiredWhenChosen() {
        // GreenMail's SMTP does not offer STARTTLS: the sender must not fall back to plaintext.
        SmtpSettings settings = server.settings().security(Security.STARTTLS).port(server.smtpPort()).build();

        assertThatThrownBy(() -> sender(settings).send(notification("admin@contoso.edu")))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("STARTTLS").hasMessageContaining("not continuing without TLS");
        assertThat(server.greenMail().getReceivedMessages()).isEmpty();
    }

    @Test
    void aServerThatIsDownIsAFailureWithinTheConnectTimeout() {
        SmtpSettings settings = server.settings().port(SmtpTestServer.closedPort()).build();

        assertThatThrownBy(() -> sender(settings).send(notification("admin@contoso.edu")))
                .isInstanceOf(NotificationException.class).hasMessageContaining("cannot connect")
                .hasMessageContaining("Migration batch Welle-1");
    }

    @Test
    void settingsHaveSafeDefaultsAndRefuseNonsense() {
        SmtpSettings s = SmtpSettings.builder("smtp.contoso.edu").from("reports@contoso.edu")
                .credentials(new Credentials("reports", "Secret-Pw-1")).build();

        assertThat(s.security()).isEqualTo(Security.STARTTLS);
        assertThat(s.port()).isEqualTo(587);
        assertThat(s.acceptUntrustedCertificates()).isFalse();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.toString()).contains("smtp.contoso.edu:587 (STARTTLS)", "user=reports").doesNotContain("Secret-Pw-1");
        assertThat(new SmtpNotificationSender(s).toString()).doesNotContain("Secret-Pw-1");
        assertThat(SmtpSettings.builder("h").security(Security.SSL).from("a@b.c").build().port()).isEqualTo(465);
        assertThat(SmtpSettings.builder("h").security(Security.NONE).from("a@b.c").build().port()).isEqualTo(25);
        assertThatThrownBy(() -> SmtpSettings.builder("h").build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SmtpSettings.builder("h").from("Reports <a@b.c>").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSettings.builder("h").from("a@b.c").port(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSettings.builder("h").from("a@b.c").readTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSettings.builder("h\r\nx").from("a@b.c").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
