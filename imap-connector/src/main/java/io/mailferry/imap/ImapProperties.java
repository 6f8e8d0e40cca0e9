package io.mailferry.imap;

/**
 * The keys of the optional tuning settings an IMAP endpoint may carry in
 * {@link io.mailferry.core.MigrationEndpoint#properties()}. Every value is a decimal number or
 * {@code true}/{@code false}; a missing key takes the default given here. An invalid value makes
 * opening a mailbox fail with an {@link IllegalArgumentException} naming the key.
 *
 * <p>The defaults suit a server on the same network; raise the batch sizes for a distant server
 * (fewer round trips), lower them to limit the client's memory (each bulk command's data is held
 * in memory once).
 */
public final class ImapProperties {

    /**
     * Checks the values of the keys of this class in an endpoint's properties, as opening a
     * mailbox does, so that a tool can refuse a bad setting when it is given rather than when a
     * migration starts. Keys this class does not define are ignored.
     *
     * @param properties an endpoint's properties, not {@code null}
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    public static void validate(java.util.Map<String, String> properties) {
        io.mailferry.imap.internal.ImapSessions.validate(java.util.Objects.requireNonNull(properties, "properties"));
    }

    /**
     * Upper bound of the message bytes one bulk {@code UID FETCH … BODY.PEEK[]} command asks for,
     * in bytes; at least 65,536. Default {@value #DEFAULT_FETCH_BATCH_BYTES} (4 MiB).
     */
    public static final String FETCH_BATCH_BYTES = "imap.fetch.batchBytes";

    /**
     * Messages larger than this many bytes are not fetched in bulk but streamed in partial fetches
     * ({@code BODY.PEEK[]<offset.length>}, RFC 3501 section 6.4.5), so their size never has to fit
     * in memory; at least 65,536. Default {@value #DEFAULT_STREAM_THRESHOLD_BYTES} (1 MiB).
     */
    public static final String STREAM_THRESHOLD_BYTES = "imap.fetch.streamThresholdBytes";

    /**
     * Bytes per partial fetch of a streamed message; at least 65,536. Two partial fetches are in
     * flight at a time. Default {@value #DEFAULT_STREAM_CHUNK_BYTES} (1 MiB).
     */
    public static final String STREAM_CHUNK_BYTES = "imap.fetch.chunkBytes";

    /**
     * Most messages stored by one {@code MULTIAPPEND} command (RFC 3502), or sent in one pipelined
     * group of {@code APPEND} commands; at least 1. Default {@value #DEFAULT_APPEND_BATCH_MESSAGES}.
     */
    public static final String APPEND_BATCH_MESSAGES = "imap.append.batchMessages";

    /**
     * Upper bound of the message bytes of one {@code MULTIAPPEND} command or pipelined group, in
     * bytes; a larger message is sent on its own; at least 65,536. Default
     * {@value #DEFAULT_APPEND_BATCH_BYTES} (16 MiB).
     */
    public static final String APPEND_BATCH_BYTES = "imap.append.batchBytes";

    /**
     * {@code false} never to use {@code MULTIAPPEND} even when the server offers it (one
     * {@code APPEND} per message, pipelined with LITERAL+). Default {@code true}.
     */
    public static final String MULTIAPPEND = "imap.multiappend";

    /**
     * {@code false} never to read the state of a source's folders with {@code LIST-STATUS}
     * (RFC 5819) even when the server offers it; each folder is then {@code EXAMINE}d. With it, a
     * pass over unchanged folders sends one command for the whole source mailbox. Default
     * {@code true}.
     */
    public static final String LIST_STATUS = "imap.listStatus";

    /**
     * The SASL mechanism to log in with, overriding the endpoint's
     * {@link io.mailferry.core.AuthenticationMethod}: {@code XOAUTH2} (Google, Microsoft 365) or
     * {@code OAUTHBEARER} (RFC 7628), both with an OAuth 2.0 access token from the connector's
     * {@link OAuthTokenProvider} (or, without one, the login's password taken as the token).
     * Unset: the endpoint's authentication method.
     */
    public static final String AUTH_MECHANISM = "imap.auth.mechanism";

    /**
     * Largest message the server accepts, in bytes; a larger one is not sent but reported as too
     * large ({@link io.mailferry.core.spi.AppendResult#tooLarge}), so the engine skips it as a large
     * item. The server's own {@code APPENDLIMIT} (RFC 7889), when lower, wins. 0 (the default): only
     * {@code APPENDLIMIT}.
     */
    public static final String MAX_MESSAGE_BYTES = "imap.maxMessageBytes";

    /**
     * Most message bytes per second sent to or read from this endpoint, over all its mailboxes in
     * this JVM (providers with quotas: Gmail, Microsoft 365); 0 (the default) for no limit.
     */
    public static final String RATE_BYTES_PER_SECOND = "imap.rate.bytesPerSecond";

    /**
     * Most messages per second appended to or fetched from this endpoint, over all its mailboxes
     * in this JVM; 0 (the default) for no limit.
     */
    public static final String RATE_MESSAGES_PER_SECOND = "imap.rate.messagesPerSecond";

    /** Default of {@link #FETCH_BATCH_BYTES}. */
    public static final long DEFAULT_FETCH_BATCH_BYTES = 4L * 1024 * 1024;
    /** Default of {@link #STREAM_THRESHOLD_BYTES}. */
    public static final long DEFAULT_STREAM_THRESHOLD_BYTES = 1024L * 1024;
    /** Default of {@link #STREAM_CHUNK_BYTES}. */
    public static final int DEFAULT_STREAM_CHUNK_BYTES = 1024 * 1024;
    /** Default of {@link #APPEND_BATCH_MESSAGES}. */
    public static final int DEFAULT_APPEND_BATCH_MESSAGES = 100;
    /** Default of {@link #APPEND_BATCH_BYTES}. */
    public static final long DEFAULT_APPEND_BATCH_BYTES = 16L * 1024 * 1024;

    private ImapProperties() {
    }
}
