package io.mailferry.core.engine;

import io.mailferry.core.spi.MessageHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What identifies a message without its body: a 128-bit digest of its normalised Message-ID,
 * Date, From and Subject (RFC 5322 sections 3.6.4, 3.6.1, 3.6.2, 3.6.5) and its size. Two copies
 * of one message have the same fingerprint on any server that stores messages unchanged; two
 * different messages almost never do, except when they share all of these (no Message-ID and the
 * same headers, or a reused Message-ID): {@link MessageMatcher} then compares their bodies.
 *
 * <p>Normalisation, so that a server's reformatting does not matter: header lines unfolded; every
 * field's occurrences in message order, joined; runs of white space as one space, trimmed; From
 * in lower case; a Date that parses as RFC 5322 as its instant.
 *
 * @param uid          the message's UID in its folder
 * @param size         its size in bytes
 * @param high         the digest's first 64 bits
 * @param low          the digest's next 64 bits
 * @param hasMessageId whether the message has a non-empty Message-ID
 */
record MessageFingerprint(long uid, long size, long high, long low, boolean hasMessageId) {

    /** The header fields fingerprints are made of. */
    static final List<String> FIELDS = List.of("Message-ID", "Date", "From", "Subject");

    private static final Pattern WHITE_SPACE = Pattern.compile("[ \\t\\r\\n]+");
    private static final Pattern UNFOLD = Pattern.compile("\\r?\\n[ \\t]");
    private static final Pattern COMMENT_AT_END = Pattern.compile("\\s*\\([^()]*\\)\\s*$");

    /** The part of a fingerprint two messages must share to be candidates for each other. */
    record Key(long high, long low) {
    }

    Key key() {
        return new Key(high, low);
    }

    /**
     * @param headers a message's fields (at least {@link #FIELDS}) and size
     * @return its fingerprint
     */
    static MessageFingerprint of(MessageHeaders headers) {
        Map<String, StringBuilder> values = fields(headers.fields());
        String messageId = normalise(values.get("message-id"));
        String date = date(normalise(values.get("date")));
        String from = normalise(values.get("from")).toLowerCase(Locale.ROOT);
        String subject = normalise(values.get("subject"));
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (String part : List.of(messageId, date, from, subject, Long.toString(headers.size()))) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        return new MessageFingerprint(headers.uid(), headers.size(), digest.getLong(), digest.getLong(),
                !messageId.isEmpty());
    }

    /** Field name (lower case) → its values in message order, separated by U+0001. */
    private static Map<String, StringBuilder> fields(byte[] raw) {
        String text = UNFOLD.matcher(new String(raw, StandardCharsets.ISO_8859_1)).replaceAll(" ");
        Map<String, StringBuilder> out = new LinkedHashMap<>();
        for (String line : text.split("\\r?\\n|\\r")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            StringBuilder v = out.computeIfAbsent(name, k -> new StringBuilder());
            if (v.length() > 0) {
                v.append('\u0001');
            }
            v.append(line, colon + 1, line.length());
        }
        return out;
    }

    private static String normalise(StringBuilder value) {
        return value == null ? "" : WHITE_SPACE.matcher(value).replaceAll(" ").strip();
    }

    /** A date that parses as RFC 5322 (trailing comment such as "(PDT)" ignored) as epoch seconds. */
    private static String date(String value) {
        if (value.isEmpty() || value.indexOf('\u0001') >= 0) {
            return value;
        }
        String v = COMMENT_AT_END.matcher(value).replaceAll("");
        try {
            return "@" + ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return value;
        }
    }
}
