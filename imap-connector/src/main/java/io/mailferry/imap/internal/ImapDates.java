package io.mailferry.imap.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * INTERNALDATE values (RFC 3501 section 9, {@code date-time}): {@code "07-Feb-1994 21:52:25 -0800"}.
 */
final class ImapDates {

    /** RFC 3501 month names, independent of the JDK's locale data. */
    private static final Map<Long, String> MONTHS = months();
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.DAY_OF_MONTH, 2).appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS).appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4).appendLiteral(' ')
            .appendPattern("HH:mm:ss").appendLiteral(' ')
            .appendOffset("+HHMM", "+0000")
            .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter PARSE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, java.time.format.SignStyle.NOT_NEGATIVE).appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS).appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4).appendLiteral(' ')
            .appendPattern("HH:mm:ss").appendLiteral(' ')
            .appendOffset("+HHMM", "+0000")
            .toFormatter(Locale.ROOT);

    private ImapDates() {
    }

    private static Map<Long, String> months() {
        String[] names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        Map<Long, String> m = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put((long) i + 1, names[i]);
        }
        return m;
    }

    /**
     * Formats an instant in UTC, e.g. {@code 07-Feb-1994 21:52:25 +0000}; the instant is preserved
     * to the second (IMAP dates have no fraction).
     *
     * @param instant the instant, not {@code null}
     * @return the date-time, without quotes
     */
    static String format(Instant instant) {
        return FORMAT.format(instant.atZone(ZoneOffset.UTC));
    }

    /**
     * Parses a date-time as servers send it ({@code date-day-fixed} may start with a space).
     *
     * @param text the date-time, without quotes
     * @return the instant
     * @throws IllegalArgumentException if the text is not a date-time
     */
    static Instant parse(String text) {
        try {
            return ZonedDateTime.parse(text.trim(), PARSE.withZone(ZoneOffset.UTC)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an IMAP date-time: " + text, e);
        }
    }
}
