package io.mailferry.testing.internal;

import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

/** IMAP {@code date-time} (RFC 3501 section 9) and RFC 5322 {@code Date:} helpers. */
public final class ImapDates {

    private static final DateTimeFormatter IMAP =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ENGLISH);

    private ImapDates() {
    }

    /**
     * @param t a time
     * @return it as an IMAP {@code date-time} without the quotes, e.g. {@code 14-May-2001 16:39:00 -0700}
     */
    public static String format(OffsetDateTime t) {
        return IMAP.format(t);
    }

    /**
     * Reads the first {@code Date:} field of a message's header and parses it leniently.
     *
     * @param raw the raw message
     * @return the date with its zone offset; empty if there is none, it does not parse, or it is
     *         outside 1970–2099 (which servers may refuse as an INTERNALDATE)
     */
    public static Optional<OffsetDateTime> dateHeader(byte[] raw) {
        String value = headerValue(raw, "date");
        if (value == null) {
            return Optional.empty();
        }
        OffsetDateTime t = parse(value);
        if (t == null || t.getYear() < 1970 || t.getYear() > 2099) {
            return Optional.empty();
        }
        return Optional.of(t);
    }

    static OffsetDateTime parse(String value) {
        String v = value.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").trim();
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            // fall through to the lenient parser
        }
        Date d = new MailDateFormat().parse(v, new ParsePosition(0));
        return d == null ? null : d.toInstant().atOffset(ZoneOffset.UTC);
    }

    /** The unfolded value of the first header field named {@code name} (lower case), or null. */
    static String headerValue(byte[] raw, String name) {
        int lineStart = 0;
        int n = raw.length;
        while (lineStart < n) {
            int lineEnd = lineStart;
            while (lineEnd < n && raw[lineEnd] != '\n') {
                lineEnd++;
            }
            int contentEnd = lineEnd > lineStart && raw[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd == lineStart) {
                return null; // end of header
            }
            String line = new String(raw, lineStart, contentEnd - lineStart, StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                StringBuilder value = new StringBuilder(line.substring(colon + 1));
                int next = lineEnd + 1;
                while (next < n && (raw[next] == ' ' || raw[next] == '\t')) {
                    int e = next;
                    while (e < n && raw[e] != '\n') {
                        e++;
                    }
                    int ce = e > next && raw[e - 1] == '\r' ? e - 1 : e;
                    value.append(' ').append(new String(raw, next, ce - next, StandardCharsets.ISO_8859_1));
                    next = e + 1;
                }
                return value.toString();
            }
            lineStart = lineEnd + 1;
        }
        return null;
    }
}
