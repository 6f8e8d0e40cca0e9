package io.mailferry.imap.internal;

import io.mailferry.imap.ImapProperties;

import java.util.Map;

/**
 * The tuning settings of one endpoint, read from its properties (see {@link ImapProperties}).
 *
 * @param fetchBatchBytes      bytes per bulk body fetch
 * @param streamThresholdBytes messages above this size are streamed
 * @param streamChunkBytes     bytes per partial fetch
 * @param appendBatchMessages  messages per MULTIAPPEND command or pipelined APPEND group
 * @param appendBatchBytes     bytes per MULTIAPPEND command or pipelined APPEND group
 * @param multiappend          whether MULTIAPPEND may be used
 * @param listStatus           whether a source may read folder states with LIST-STATUS
 * @param mechanism            SASL mechanism overriding the endpoint's method ({@code XOAUTH2},
 *                             {@code OAUTHBEARER}), or {@code null}
 * @param maxMessageBytes      largest message sent, 0 for no limit of the endpoint's own
 * @param bytesPerSecond       message bytes per second to or from the endpoint, 0 for no limit
 * @param messagesPerSecond    messages per second to or from the endpoint, 0 for no limit
 */
record ImapSettings(long fetchBatchBytes, long streamThresholdBytes, int streamChunkBytes,
                    int appendBatchMessages, long appendBatchBytes, boolean multiappend, boolean listStatus,
                    String mechanism, long maxMessageBytes, long bytesPerSecond, double messagesPerSecond) {

    private static final long MIN_BYTES = 64 * 1024;

    /** The defaults. */
    static final ImapSettings DEFAULTS = new ImapSettings(ImapProperties.DEFAULT_FETCH_BATCH_BYTES,
            ImapProperties.DEFAULT_STREAM_THRESHOLD_BYTES, ImapProperties.DEFAULT_STREAM_CHUNK_BYTES,
            ImapProperties.DEFAULT_APPEND_BATCH_MESSAGES, ImapProperties.DEFAULT_APPEND_BATCH_BYTES, true, true, null,
            0, 0, 0);

    /**
     * Reads the settings from endpoint properties; unknown keys are ignored.
     *
     * @param properties the endpoint's properties
     * @return the settings
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static ImapSettings from(Map<String, String> properties) {
        return new ImapSettings(
                number(properties, ImapProperties.FETCH_BATCH_BYTES, DEFAULTS.fetchBatchBytes, MIN_BYTES, Long.MAX_VALUE),
                number(properties, ImapProperties.STREAM_THRESHOLD_BYTES, DEFAULTS.streamThresholdBytes, MIN_BYTES,
                        Long.MAX_VALUE),
                (int) number(properties, ImapProperties.STREAM_CHUNK_BYTES, DEFAULTS.streamChunkBytes, MIN_BYTES,
                        64L * 1024 * 1024),
                (int) number(properties, ImapProperties.APPEND_BATCH_MESSAGES, DEFAULTS.appendBatchMessages, 1, 10_000),
                number(properties, ImapProperties.APPEND_BATCH_BYTES, DEFAULTS.appendBatchBytes, MIN_BYTES, Long.MAX_VALUE),
                bool(properties, ImapProperties.MULTIAPPEND, DEFAULTS.multiappend),
                bool(properties, ImapProperties.LIST_STATUS, DEFAULTS.listStatus),
                mechanism(properties.get(ImapProperties.AUTH_MECHANISM)),
                number(properties, ImapProperties.MAX_MESSAGE_BYTES, 0, 0, Long.MAX_VALUE),
                number(properties, ImapProperties.RATE_BYTES_PER_SECOND, 0, 0, Long.MAX_VALUE),
                decimal(properties, ImapProperties.RATE_MESSAGES_PER_SECOND));
    }

    private static String mechanism(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String m = v.trim().toUpperCase(java.util.Locale.ROOT);
        if (!m.equals("XOAUTH2") && !m.equals("OAUTHBEARER")) {
            throw new IllegalArgumentException("IMAP endpoint property " + ImapProperties.AUTH_MECHANISM
                    + " must be XOAUTH2 or OAUTHBEARER, not '" + v + "'");
        }
        return m;
    }

    private static double decimal(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            return 0;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IMAP endpoint property " + key + " must be a number of 0 or more, not '"
                    + v + "'");
        }
    }

    private static long number(Map<String, String> p, String key, long dflt, long min, long max) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("IMAP endpoint property " + key + " must be a number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("IMAP endpoint property " + key + " must be in " + min + "-" + max
                    + ", not " + n);
        }
        return n;
    }

    private static boolean bool(Map<String, String> p, String key, boolean dflt) {
        String v = p.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("IMAP endpoint property " + key
                    + " must be true or false, not '" + v + "'");
        };
    }
}
