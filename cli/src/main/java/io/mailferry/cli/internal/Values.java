package io.mailferry.cli.internal;

import io.mailferry.core.BatchPriority;
import io.mailferry.core.ItemLimit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the values the commands take: times, durations, limits, lists. */
final class Values {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*([smhd])");

    private Values() {
    }

    /**
     * A time: an ISO instant ({@code 2024-06-01T08:00:00Z}), a date-time with offset, a local
     * date-time or date (read as UTC, as Exchange reads a StartAfter without zone), or {@code now}.
     *
     * @return the instant
     * @throws TypeConversionException if it is none of these
     */
    static Instant instant(String text, Clock clock) {
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return clock.instant();
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a time: use e.g. 2024-06-01T08:00:00Z,"
                    + " 2024-06-01T10:00+02:00, 2024-06-01 (UTC) or now");
        }
    }

    /** A time, or {@code null} for {@code none}. */
    static Instant instantOrNone(String text, Clock clock) {
        return text.trim().equalsIgnoreCase("none") ? null : instant(text, clock);
    }

    /**
     * A duration: {@code 24h}, {@code 30m}, {@code 45s}, {@code 2d}, an ISO duration
     * ({@code PT24H}), or {@code 0}.
     *
     * @throws TypeConversionException if it is neither
     */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration: use e.g. 24h, 30m, 2d, PT12H or 0");
        }
    }

    /** {@code Unlimited} or a number. */
    static ItemLimit limit(String text) {
        try {
            return ItemLimit.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A comma-separated list; empty for {@code none} or an empty text. */
    static List<String> list(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(t.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Parses a priority. */
    static final class PriorityConverter implements ITypeConverter<BatchPriority> {
        @Override
        public BatchPriority convert(String value) {
            try {
                return BatchPriority.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses a duration. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return duration(value);
        }
    }

    /** Parses an item limit. */
    static final class LimitConverter implements ITypeConverter<ItemLimit> {
        @Override
        public ItemLimit convert(String value) {
            return limit(value);
        }
    }
}
