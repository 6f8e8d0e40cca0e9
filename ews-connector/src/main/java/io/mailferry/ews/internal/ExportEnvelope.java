package io.mailferry.ews.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * How an ExportItems stream travels through the engine, which moves RFC 5322 messages: a small
 * message whose body is the stream in Base64 and whose first header line marks it, so that an
 * Exchange target recognises it and stores it with UploadItems. (Where it would reach an IMAP
 * target by mistake, it is a readable message saying what it is.)
 *
 * <pre>
 * X-MailFerry-Export: 1
 * X-MailFerry-Folder-Class: IPF.Appointment
 * Subject: MailFerry ExportItems stream (for an Exchange target)
 * MIME-Version: 1.0
 * Content-Type: application/vnd.ms-exchange-fts
 * Content-Transfer-Encoding: base64
 *
 * AQAAAAgAAAAAAAAALgBl…
 * </pre>
 */
public final class ExportEnvelope {

    private static final byte[] MAGIC = "X-MailFerry-Export: 1\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * An unwrapped stream.
     *
     * @param folderClass the FolderClass of the folder it was exported from, or {@code null}
     * @param data        the ExportItems stream
     */
    public record Envelope(String folderClass, byte[] data) {
    }

    private ExportEnvelope() {
    }

    /**
     * @param data        an ExportItems stream
     * @param folderClass its folder's class, or {@code null}
     * @return the envelope's bytes
     */
    public static byte[] wrap(byte[] data, String folderClass) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 / 3 + 512);
        out.writeBytes(MAGIC);
        String fc = folderClass == null ? "" : folderClass.replaceAll("[\\r\\n]", "");
        out.writeBytes(("X-MailFerry-Folder-Class: " + fc + "\r\n"
                + "Subject: MailFerry ExportItems stream (for an Exchange target)\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: application/vnd.ms-exchange-fts\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encode(data));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * @param prefix the first bytes of a message (at least 23 to be recognised)
     * @return {@code true} if the message is an envelope
     */
    public static boolean isEnvelope(byte[] prefix) {
        return prefix.length >= MAGIC.length && Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * @param bytes a message's bytes
     * @return the stream if the bytes are an envelope
     */
    public static Optional<Envelope> unwrap(byte[] bytes) {
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int body = text.indexOf("\r\n\r\n");
        if (body < 0) {
            return Optional.empty();
        }
        String folderClass = null;
        for (String line : text.substring(0, body).split("\r\n")) {
            if (line.startsWith("X-MailFerry-Folder-Class: ")) {
                String v = line.substring("X-MailFerry-Folder-Class: ".length()).trim();
                folderClass = v.isEmpty() ? null : v;
            }
        }
        try {
            return Optional.of(new Envelope(folderClass, Base64.getMimeDecoder().decode(text.substring(body + 4).trim())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
