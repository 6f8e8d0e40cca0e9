package io.mailferry.cli;

import io.mailferry.testing.DovecotServer;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.RawMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Memory stays bounded whatever the message size (issue 7): {@code mailferry migrate}, in a child
 * JVM limited to {@code -Xmx64m}, copies a 50 MB message (plus a few small ones) from one Dovecot
 * to another byte for byte. The message is read from the source in partial fetches and buffered in
 * a temporary file, and its APPEND literal is written from that file, so the heap never holds it.
 */
class LargeMessageMemoryIT {

    private static final String ADMIN = "mfadmin";
    private static final String ADMIN_PASSWORD = "Adm1n-secret";
    private static final String USER = "big";
    private static final String DOMAIN = "@memory.example";
    private static final int LARGE_BYTES = 50 * 1024 * 1024;
    private static final long RUN_TIMEOUT_MINUTES = 10;

    private static DovecotServer source;
    private static DovecotServer target;
    private static Path work;
    private static String largeSha;
    private static final List<String> SMALL_SHAS = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        DovecotServer.assumeInstalled();
        work = Files.createTempDirectory("mailferry-memory-it");
        source = DovecotServer.builder().user(USER, "pw-" + USER).build().start();
        target = DovecotServer.builder().masterUser(ADMIN, ADMIN_PASSWORD).user(USER + DOMAIN, "pw-" + USER).build()
                .start();
        byte[] large = largeMessage(LARGE_BYTES);
        assertThat(large.length).isGreaterThanOrEqualTo(LARGE_BYTES);
        largeSha = sha256(large);
        try (ImapTestClient c = source.login(USER)) {
            OffsetDateTime date = OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);
            List<RawMessage> small = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] b = ("From: a@example.org\r\nTo: big@example.org\r\nSubject: small " + i
                        + "\r\nMessage-ID: <small-" + i + "@example.org>\r\n\r\nBody " + i + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                small.add(RawMessage.of("small-" + i, b).withInternalDate(date.plusMinutes(i)).withFlags("\\Seen"));
                SMALL_SHAS.add(sha256(b));
            }
            c.append("INBOX", small.subList(0, 2));
            c.append("INBOX", RawMessage.of("large", large).withInternalDate(date.plusHours(1)).withFlags("\\Flagged"));
            c.append("INBOX", small.subList(2, 3));
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        if (work != null) {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    @Test
    void fiftyMegabyteMessageMigratesWithASixtyFourMegabyteHeap() throws Exception {
        Path csv = Files.writeString(work.resolve("users.csv"), "EmailAddress,UserName,Password\r\n"
                + USER + DOMAIN + "," + USER + ",pw-" + USER + "\r\n");
        Path log = work.resolve("child.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + work,
                "-cp", System.getProperty("java.class.path"),
                MailFerryCli.class.getName(), "migrate",
                "--source-host", source.host(), "--source-port", String.valueOf(source.port()),
                "--source-security", "none",
                "--target-host", target.host(), "--target-port", String.valueOf(target.port()),
                "--target-security", "none",
                "--target-admin", ADMIN, "--target-admin-password", ADMIN_PASSWORD,
                "--users", csv.toString(), "--state", work.resolve("state").toString(),
                "--report-dir", work.resolve("reports").toString(), "--batch", "memory-it",
                "--bad-item-limit", "0", "--quiet");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            fail("mailferry migrate did not end within " + RUN_TIMEOUT_MINUTES + " minutes:\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("OutOfMemoryError");
        assertThat(p.exitValue()).as(out).isEqualTo(MailFerryCli.EXIT_OK);

        try (ImapTestClient c = target.login(USER + DOMAIN)) {
            List<ImapTestClient.FetchedMessage> got = c.fetchMessages("INBOX");
            assertThat(got).hasSize(4);
            List<String> shas = got.stream().map(m -> sha256(m.bytes())).toList();
            assertThat(shas).containsExactly(SMALL_SHAS.get(0), SMALL_SHAS.get(1), largeSha, SMALL_SHAS.get(2));
            assertThat(got.get(2).flags()).contains("\\Flagged");
        }
    }

    /** A MIME message of at least {@code size} bytes: an attachment of seeded random bytes in base64. */
    private static byte[] largeMessage(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        String head = "From: Sender <sender@example.org>\r\nTo: big@example.org\r\nSubject: fifty megabytes\r\n"
                + "Message-ID: <large@example.org>\r\nDate: Wed, 01 May 2024 13:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + "See the attachment.\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        Random random = new Random(20240501);
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] raw = new byte[57]; // 76 base64 characters per line
        String tail = "--b1--\r\n";
        while (out.size() + tail.length() < size) {
            random.nextBytes(raw);
            out.writeBytes(b64.encode(raw));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
