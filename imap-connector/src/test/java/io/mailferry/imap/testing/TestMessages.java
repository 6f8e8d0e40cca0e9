package io.mailferry.imap.testing;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/** Messages and helpers for connector tests. */
public final class TestMessages {

    private TestMessages() {
    }

    /** In-memory {@link MessageContent}. */
    public record Bytes(byte[] bytes) implements MessageContent {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream openStream() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /**
     * A small plain-text message with CRLF line endings.
     *
     * @param subject its subject (ASCII)
     * @return the bytes
     */
    public static byte[] simple(String subject) {
        return ("From: Alice <alice@example.test>\r\n"
                + "To: Bob <bob@example.test>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + Math.abs(subject.hashCode()) + "." + subject.length() + "@example.test>\r\n"
                + "Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Hello, this is " + subject + ".\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A message of about {@code size} bytes with a base64 attachment of random bytes (seeded).
     *
     * @param subject subject
     * @param size    approximate total size in bytes
     * @param seed    random seed
     * @return the bytes
     */
    public static byte[] large(String subject, int size, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        String head = "From: Alice <alice@example.test>\r\n"
                + "To: Bob <bob@example.test>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <large." + seed + "@example.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                + "\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        Random random = new Random(seed);
        byte[] raw = new byte[57];
        while (out.size() < size - 80) {
            random.nextBytes(raw);
            out.writeBytes(java.util.Base64.getEncoder().encode(raw));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * An append request.
     *
     * @param bytes message bytes
     * @param flags flags
     * @param date  INTERNALDATE or {@code null}
     * @return the request
     */
    public static AppendRequest request(byte[] bytes, MessageFlags flags, Instant date) {
        return new AppendRequest(flags, date, new Bytes(bytes));
    }

    /** SHA-256 as hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
