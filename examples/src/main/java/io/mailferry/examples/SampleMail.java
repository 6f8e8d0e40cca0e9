package io.mailferry.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled sample of real mail: Enron mailboxes (badeer-r complete, and samples of the beck-s
 * and germany-c folder trees), byte-for-byte copies read from the class path. Origin and
 * licence: {@code io/mailferry/examples/sample/enron/ORIGIN.md}; the file list with sizes and SHA-256
 * is {@code MANIFEST.tsv} next to it.
 *
 * <p>Enron bodies end lines with a bare LF (the headers with CRLF); IMAP's APPEND wants CRLF, so
 * {@link Message#crlfContent()} gives the normalised form to load into a server.
 */
public final class SampleMail {

    private static final String ROOT = "/io/mailferry/examples/sample/enron/";

    /**
     * One message of the sample.
     *
     * @param user     the Enron user, e.g. {@code badeer-r}
     * @param folder   the folder path with {@code /} as separator, e.g. {@code discussion_threads};
     *                 the user's {@code inbox} is the IMAP INBOX
     * @param fileName the file name in the folder, e.g. {@code 12.}
     * @param size     size in bytes of the file
     */
    public record Message(String user, String folder, String fileName, long size) {

        /** Returns the file's bytes, unchanged. */
        public byte[] content() {
            try (InputStream in = SampleMail.class.getResourceAsStream(ROOT + user + "/" + folder + "/" + fileName)) {
                if (in == null) {
                    throw new IllegalStateException("sample message missing from the class path: " + this);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Returns the bytes with every line ending as CRLF, as IMAP APPEND requires. */
        public byte[] crlfContent() {
            return toCrlf(content());
        }

        /** Returns the IMAP folder name: {@code INBOX} for the Enron {@code inbox}, else the folder path. */
        public String imapFolder() {
            return folder.equalsIgnoreCase("inbox") ? "INBOX"
                    : folder.regionMatches(true, 0, "inbox/", 0, 6) ? "INBOX" + folder.substring(5) : folder;
        }
    }

    private SampleMail() {
    }

    /**
     * Returns every message of the sample, grouped by user in manifest order.
     *
     * @return user → messages
     * @throws IllegalStateException if the sample is not on the class path
     */
    public static Map<String, List<Message>> byUser() {
        Map<String, List<Message>> out = new LinkedHashMap<>();
        for (Message m : messages()) {
            out.computeIfAbsent(m.user(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    /**
     * Returns every message of the sample.
     *
     * @return the messages, in manifest order
     * @throws IllegalStateException if the sample is not on the class path
     */
    public static List<Message> messages() {
        try (InputStream in = SampleMail.class.getResourceAsStream(ROOT + "MANIFEST.tsv")) {
            if (in == null) {
                throw new IllegalStateException("the bundled sample (" + ROOT + "MANIFEST.tsv) is not on the class path");
            }
            List<Message> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine(); // header
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split("\t");
                String path = cols[0].substring("enron/".length());
                int first = path.indexOf('/');
                int last = path.lastIndexOf('/');
                out.add(new Message(path.substring(0, first), path.substring(first + 1, last), path.substring(last + 1),
                        Long.parseLong(cols[3])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Normalises line endings to CRLF: a bare LF becomes CRLF, a bare CR becomes CRLF, CRLF stays.
     *
     * @param in the bytes
     * @return the normalised bytes
     */
    public static byte[] toCrlf(byte[] in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length + in.length / 40);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out.write('\r');
                out.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
