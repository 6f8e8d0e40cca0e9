package io.mailferry.core.spi.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages for connector and engine tests: built in code (plain, multipart with an attachment,
 * 8-bit, of a given size) and real ones from {@code messages/} next to this class (see the README
 * there for their origin and licences).
 */
public final class TestMessages {

    private static final String RESOURCES = "/io/mailferry/core/spi/contract/messages/";
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Real messages that are plain text with CRLF line ends once normalised; any IMAP server takes them. */
    private static final List<String> TEXT_FILES = List.of(
            "enron-germany-c-inbox-1.eml",
            "enron-badeer-r-sent-mail-1.eml",
            "enron-beck-s-2001-plan-1.eml",
            "mime4j-malformedHeader-noheader.eml",
            "mime4j-obsolete.eml",
            "mime4j-basic-plain-very-long-lines.eml",
            "ruby-mail-rfc6532-utf8-headers.eml",
            "python-email-msg_35.eml");

    /** Real messages with NUL bytes or bare CRs: only verbatim with BINARY (RFC 3516). */
    private static final List<String> BINARY_FILES = List.of(
            "spamscope-mail_malformed_3.eml",
            "spamscope-mail_outlook_1.eml");

    /**
     * A named message.
     *
     * @param name where it comes from
     * @param raw  its bytes
     */
    public record Sample(String name, byte[] raw) {
        /** Returns the SHA-256 of the bytes in hex. */
        public String sha256() {
            return TestMessages.sha256(raw);
        }

        @Override
        public String toString() {
            return name + " (" + raw.length + " bytes)";
        }
    }

    private TestMessages() {
    }

    /**
     * A small plain-text message with CRLF line ends and a unique Message-ID.
     *
     * @param subject its subject (ASCII)
     * @param body    its body (ASCII)
     * @return the bytes
     */
    public static byte[] plain(String subject, String body) {
        long n = COUNTER.incrementAndGet();
        String text = "From: Alice Example <alice@example.org>\r\n"
                + "To: Bob Example <bob@example.net>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Thu, 04 Mar 2021 05:06:07 +0000\r\n"
                + "Message-ID: <test-" + n + "@mailferry.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A plain-text message of exactly {@code size} bytes (at least 300).
     *
     * @param subject its subject
     * @param size    its size in bytes
     * @return the bytes
     */
    public static byte[] ofSize(String subject, int size) {
        byte[] head = plain(subject, "");
        if (size < head.length + 2) {
            throw new IllegalArgumentException("size must be at least " + (head.length + 2));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(head);
        int line = 0;
        while (out.size() < size) {
            int left = size - out.size();
            if (left <= 2) {
                out.writeBytes("\r\n".substring(0, left).getBytes(StandardCharsets.US_ASCII));
                break;
            }
            int len = Math.min(76, left - 2);
            out.write('a' + (line++ % 26));
            for (int i = 1; i < len; i++) {
                out.write('x');
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /**
     * A multipart/mixed message with a base64 attachment of seeded random bytes.
     *
     * @param subject         its subject
     * @param attachmentBytes size of the attachment before encoding
     * @return the bytes
     */
    public static byte[] multipart(String subject, int attachmentBytes) {
        long n = COUNTER.incrementAndGet();
        byte[] attachment = new byte[attachmentBytes];
        new Random(n).nextBytes(attachment);
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment);
        String text = "From: Alice Example <alice@example.org>\r\n"
                + "To: Bob Example <bob@example.net>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Thu, 04 Mar 2021 05:06:07 +0000\r\n"
                + "Message-ID: <test-" + n + "@mailferry.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"=_b" + n + "\"\r\n"
                + "\r\n"
                + "--=_b" + n + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße, see the attachment.\r\n"
                + "--=_b" + n + "\r\n"
                + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + b64 + "\r\n"
                + "--=_b" + n + "--\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A message with raw UTF-8 in its headers and body (RFC 6532), CRLF line ends.
     *
     * @return the bytes
     */
    public static byte[] eightBit() {
        long n = COUNTER.incrementAndGet();
        String text = "From: Jürgen Müller <juergen@example.de>\r\n"
                + "To: 山田太郎 <taro@example.jp>\r\n"
                + "Subject: Entwürfe und 送信済み\r\n"
                + "Date: Thu, 04 Mar 2021 05:06:07 +0100\r\n"
                + "Message-ID: <test-" + n + "@mailferry.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße — こんにちは\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns messages built in code: plain, empty body, multipart, 8-bit, 64 KB. */
    public static List<Sample> built() {
        return List.of(
                new Sample("plain", plain("Plain message", "Hello,\nthis is a test.\n")),
                new Sample("empty-body", plain("Empty body", "")),
                new Sample("multipart", multipart("With attachment", 3000)),
                new Sample("8bit", eightBit()),
                new Sample("64k", ofSize("Sixty-four kilobytes", 64 * 1024)));
    }

    /**
     * Returns real messages that are text: Enron mail and hard but textual messages (no header,
     * no header/body separator, obsolete syntax, 8-bit headers, lines over 998 octets), with bare
     * LFs turned into CRLF as an IMAP server stores them.
     */
    public static List<Sample> realText() {
        List<Sample> out = new ArrayList<>();
        for (String f : TEXT_FILES) {
            out.add(new Sample(f, toCrlf(resource(f))));
        }
        return out;
    }

    /** Returns real messages with NUL bytes, bare CRs and mixed line ends, byte for byte as found. */
    public static List<Sample> realBinary() {
        List<Sample> out = new ArrayList<>();
        for (String f : BINARY_FILES) {
            out.add(new Sample(f, resource(f)));
        }
        return out;
    }

    /** Returns every real message byte for byte as found (no line-end normalisation). */
    public static List<Sample> realAsFound() {
        List<Sample> out = new ArrayList<>();
        for (String f : TEXT_FILES) {
            out.add(new Sample(f, resource(f)));
        }
        out.addAll(realBinary());
        return out;
    }

    /**
     * Reads one of the real messages.
     *
     * @param file its file name in {@code messages/}
     * @return its bytes
     */
    public static byte[] resource(String file) {
        try (InputStream in = TestMessages.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Turns every bare LF into CRLF; CRs are left alone.
     *
     * @param raw the bytes
     * @return the normalised bytes
     */
    public static byte[] toCrlf(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 20);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(raw[i]);
        }
        return out.toByteArray();
    }

    /**
     * @param bytes some bytes
     * @return their SHA-256 in lower-case hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
