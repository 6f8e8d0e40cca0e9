package io.mailferry.imap.internal;

import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorException.Kind;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps server refusals to {@link ConnectorException} kinds. Response codes are those of RFC 5530
 * ({@code OVERQUOTA}, {@code UNAVAILABLE}, {@code LIMIT}, {@code INUSE}, {@code NONEXISTENT}…).
 */
final class ImapErrors {

    /** Codes that mean "not now": the engine backs off and retries. */
    private static final Set<String> THROTTLING_CODES = Set.of("UNAVAILABLE", "LIMIT", "INUSE");
    /** Texts of servers that throttle without a code (Gmail, Exchange, Yahoo, Dovecot's auth penalty). */
    private static final Pattern THROTTLING_TEXT = Pattern.compile(
            "try again later|too many (simultaneous|concurrent|connections|requests|commands)|rate limit|throttl"
                    + "|temporar(il)?y (unavailable|failure|error)|server (is )?busy|bandwidth limit|please wait",
            Pattern.CASE_INSENSITIVE);

    /** Microsoft 365: "Request is throttled. Suggested Backoff Time: 299609 milliseconds". */
    private static final Pattern BACKOFF = Pattern.compile("Suggested\\s+Backoff\\s+Time:?\\s*(\\d+)\\s*(milliseconds|ms|seconds|s)?",
            Pattern.CASE_INSENSITIVE);
    /** How long to wait after a throttling answer that gives no hint: 30 s. */
    static final java.time.Duration DEFAULT_BACKOFF = java.time.Duration.ofSeconds(30);

    private ImapErrors() {
    }

    /**
     * The back-off a throttling reply asks for: Microsoft 365's "Suggested Backoff Time: N
     * milliseconds"; {@code null} if the reply names none.
     *
     * @param reply a NO, BAD or BYE reply
     * @return the wait, or {@code null}
     */
    static java.time.Duration backoffHint(ServerReply reply) {
        java.util.regex.Matcher m = BACKOFF.matcher(reply.text());
        if (!m.find()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "milliseconds" : m.group(2).toLowerCase(Locale.ROOT);
        return unit.startsWith("s") ? java.time.Duration.ofSeconds(n) : java.time.Duration.ofMillis(n);
    }

    /**
     * Whether a reply asks the client to come back later.
     *
     * @param reply a NO or BYE reply
     * @return {@code true} for a throttling reply
     */
    static boolean isThrottling(ServerReply reply) {
        return (reply.code() != null && THROTTLING_CODES.contains(reply.code()))
                || THROTTLING_TEXT.matcher(reply.text()).find();
    }

    /**
     * The kind of a refused command.
     *
     * @param reply the NO, BAD or BYE reply
     * @return the kind
     */
    static Kind kindOf(ServerReply reply) {
        if (reply.hasCode("OVERQUOTA")) {
            return Kind.QUOTA;
        }
        if (isThrottling(reply)) {
            return Kind.THROTTLED;
        }
        if (reply.hasCode("NONEXISTENT")) {
            return Kind.FOLDER_NOT_FOUND;
        }
        if ("BYE".equals(reply.status())) {
            return Kind.PROTOCOL;
        }
        if (reply.text().toLowerCase(Locale.ROOT).contains("quota")
                && (reply.text().toLowerCase(Locale.ROOT).contains("exceed") || reply.hasCode("LIMIT"))) {
            return Kind.QUOTA;
        }
        return Kind.REFUSED;
    }

    /**
     * An exception for a refused command.
     *
     * @param what  what was being done, e.g. {@code "SELECT of folder 'Sent'"}
     * @param where {@code host:port}
     * @param reply the server's reply
     * @return the exception; its message names the operation, the server and its words
     */
    static ConnectorException refused(String what, String where, ServerReply reply) {
        return exception(kindOf(reply), what + " on " + where + " failed: " + reply, reply);
    }

    /**
     * An exception of a kind; a throttling one carries the reply's back-off hint (or
     * {@link #DEFAULT_BACKOFF}) for the engine.
     *
     * @param kind    the kind
     * @param message the message
     * @param reply   the server's reply
     * @return the exception
     */
    static ConnectorException exception(Kind kind, String message, ServerReply reply) {
        if (kind == Kind.THROTTLED) {
            java.time.Duration hint = backoffHint(reply);
            return new ConnectorException(kind, message, hint != null ? hint : DEFAULT_BACKOFF);
        }
        return new ConnectorException(kind, message);
    }
}
