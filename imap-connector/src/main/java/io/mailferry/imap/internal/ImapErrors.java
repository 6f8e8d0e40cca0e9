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

    private ImapErrors() {
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
        return new ConnectorException(kindOf(reply), what + " on " + where + " failed: " + reply);
    }
}
