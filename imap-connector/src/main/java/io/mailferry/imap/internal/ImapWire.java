package io.mailferry.imap.internal;

import io.mailferry.core.spi.ConnectorException;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.LiteralException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.util.MailLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One IMAP connection: Angus' {@link IMAPProtocol} plus what the connector needs on top of it —
 * commands written and their responses read separately (for pipelining and streaming), access to
 * the output stream for literals Angus cannot write ({@code literal8}, several literals per
 * command), and tracking of the selected folder's {@code EXISTS}/{@code EXPUNGE} responses.
 *
 * <p>Failures of the connection (I/O errors, {@code BYE}) are turned into
 * {@link ConnectorException}s of kind {@link ConnectorException.Kind#PROTOCOL} (or
 * {@link ConnectorException.Kind#THROTTLED} when the server says why), and the connection is closed;
 * the object is then {@linkplain #isBroken() broken}. Not thread-safe: one thread at a time.
 */
final class ImapWire extends IMAPProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ImapWire.class);
    /** Angus' debug output goes to java.util.logging at FINE/FINEST only; debug printing stays off. */
    private static final MailLogger ANGUS_LOGGER = new MailLogger(ImapWire.class, "DEBUG IMAP", false, System.out);

    /** Gmail's message id ({@code X-GM-EXT-1}): the same for a message under each of its labels. */
    static final String X_GM_MSGID = "X-GM-MSGID";
    /** Gmail's labels of a message ({@code X-GM-EXT-1}). */
    static final String X_GM_LABELS = "X-GM-LABELS";
    /**
     * FETCH items Angus does not know, parsed into {@link FetchResponse#getExtensionItems()}:
     * {@code X-GM-MSGID} as a {@link Long} (an unsigned 64-bit number, kept as its two's
     * complement), {@code X-GM-LABELS} as a {@code String[]} (Google's IMAP extensions).
     */
    private static final FetchItem[] FETCH_ITEMS = {
        new FetchItem(X_GM_MSGID, null) {
            @Override
            public Object parseItem(FetchResponse r) throws ParsingException {
                String n = r.readAtom();
                try {
                    return Long.parseUnsignedLong(n);
                } catch (NumberFormatException e) {
                    throw new ParsingException("X-GM-MSGID is not a number: " + n);
                }
            }
        },
        new FetchItem(X_GM_LABELS, null) {
            @Override
            public Object parseItem(FetchResponse r) throws ParsingException {
                return readLabels(r);
            }
        }
    };

    private final String where;
    /** Tags written whose completion has not been read. */
    private final Set<String> outstanding = new HashSet<>();
    /** Completions read while waiting for another command (servers may complete out of order). */
    private final Map<String, Response> completed = new HashMap<>();
    private boolean broken;
    private long exists;
    private long expunges;

    /**
     * A command that has been written and whose completion is still to be read.
     *
     * @param tag   the command's tag, or {@code null} if the server already answered
     * @param early the server's tagged answer that ended the command before it was fully written
     *              (a refused synchronising literal), or {@code null}
     */
    record Pending(String tag, Response early) {
    }

    /**
     * Connects and reads the greeting (and its capabilities).
     *
     * @param host  server host
     * @param port  server port
     * @param props Angus {@code mail.imap.*} properties (timeouts, socket factories)
     * @param ssl   TLS from the first byte
     * @throws IOException       if the connection or the TLS handshake fails
     * @throws ProtocolException if the server greets with BYE
     */
    ImapWire(String host, int port, Properties props, boolean ssl) throws IOException, ProtocolException {
        super("imap", host, port, props, ssl, ANGUS_LOGGER);
        this.where = host + ":" + port;
    }

    /**
     * Reads a parenthesised list of labels: astrings, where Gmail's system labels are atoms that
     * start with a backslash ({@code \\Inbox}), which Angus' atom reader does not accept.
     */
    static String[] readLabels(Response r) throws ParsingException {
        if (!r.isNextNonSpace('(')) {
            throw new ParsingException("X-GM-LABELS is not a list");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        while (true) {
            r.skipSpaces();
            byte b = r.peekByte();
            if (b == ')') {
                r.readByte();
                return out.toArray(new String[0]);
            }
            if (b == '"' || b == '{') {
                out.add(r.readString());
                continue;
            }
            StringBuilder atom = new StringBuilder();
            while ((b = r.peekByte()) != 0 && b != ' ' && b != ')' && b != '\r' && b != '\n') {
                atom.append((char) (r.readByte() & 0xff));
            }
            if (atom.length() == 0) {
                throw new ParsingException("X-GM-LABELS list not closed");
            }
            out.add(atom.toString());
        }
    }

    @Override
    public FetchItem[] getFetchItems() {
        return FETCH_ITEMS;
    }

    /** Returns {@code host:port}, for messages. */
    String where() {
        return where;
    }

    /** Returns {@code true} once the connection failed or was closed. */
    boolean isBroken() {
        return broken;
    }

    /** Closes the socket; later commands fail. */
    void markBroken() {
        broken = true;
        outstanding.clear();
        completed.clear();
        disconnect();
    }

    /** Returns the stream commands are written to; only for {@link Argument} implementations. */
    OutputStream out() {
        return getOutputStream();
    }

    /**
     * Whether a literal of this size may be sent without waiting for the server's continuation:
     * any size with LITERAL+, up to 4,096 bytes with LITERAL- (RFC 7888).
     *
     * @param size the literal's size
     * @return {@code true} for a non-synchronising literal
     */
    boolean nonSyncLiteral(long size) {
        return supportsNonSyncLiterals() || (size <= 4096 && hasCapability("LITERAL-"));
    }

    /** Returns the number of messages in the selected folder, kept up to date from EXISTS/EXPUNGE. */
    long exists() {
        return exists;
    }

    /** Returns how many EXPUNGE responses have been seen; a change invalidates sequence numbers. */
    long expunges() {
        return expunges;
    }

    /** Sets the message count after SELECT/EXAMINE. */
    void exists(long count) {
        exists = count;
    }

    /**
     * Adds a mailbox name as the server expects it: modified UTF-7 (RFC 3501 section 5.1.3), or
     * UTF-8 once {@code UTF8=ACCEPT} is enabled.
     *
     * @param args the command's arguments
     * @param name the Unicode name
     */
    void mailbox(Argument args, String name) {
        writeMailboxName(args, toServer(name));
    }

    /** The personal namespace's prefix (RFC 2342), e.g. {@code INBOX.}; {@code null} until asked. */
    private String personalPrefix;

    /**
     * Asks for the personal namespace once (RFC 2342 {@code NAMESPACE}), so that folder names can
     * be given relative to it. Call before writing a command with a mailbox name, never while
     * commands are in flight.
     */
    void ensureNamespace() {
        if (personalPrefix != null) {
            return;
        }
        personalPrefix = "";
        if (!hasCapability("NAMESPACE")) {
            return;
        }
        try {
            org.eclipse.angus.mail.imap.protocol.Namespaces ns = namespace();
            if (ns != null && ns.personal != null && ns.personal.length > 0 && ns.personal[0].prefix != null) {
                String prefix = ns.personal[0].prefix;
                if (!prefix.isEmpty() && !supportsUtf8()) {
                    prefix = org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder.decode(prefix);
                }
                personalPrefix = prefix;
                if (!prefix.isEmpty()) {
                    LOG.debug("{}: personal namespace prefix '{}'; folder names are given relative to it", where, prefix);
                }
            }
        } catch (ProtocolException e) {
            if (broken) {
                throw lost(e);
            }
            LOG.debug("NAMESPACE refused by {}: {}", where, e.getMessage());
        }
    }

    /** Returns the personal namespace prefix, empty when there is none (or not asked yet). */
    String personalPrefix() {
        return personalPrefix == null ? "" : personalPrefix;
    }

    /**
     * A folder name as MailFerry gives it → as the server names it: the personal prefix in front
     * ({@code Sent} → {@code INBOX.Sent} on a server whose personal namespace is {@code INBOX.}).
     */
    String toServer(String name) {
        String prefix = personalPrefix();
        if (prefix.isEmpty() || name.equalsIgnoreCase("INBOX")) {
            return name;
        }
        return prefix + name;
    }

    /**
     * A name as the server lists it → as MailFerry gives it: without the personal prefix; {@code null}
     * for a folder outside the personal namespace (another user's or a shared folder).
     */
    String fromServer(String name) {
        String prefix = personalPrefix();
        if (prefix.isEmpty() || name.equalsIgnoreCase("INBOX")) {
            return name;
        }
        if (name.regionMatches(true, 0, prefix, 0, prefix.length()) && name.length() > prefix.length()) {
            return name.substring(prefix.length());
        }
        return null;
    }

    /**
     * {@code LOGIN} with user name and password in UTF-8 (a literal when not ASCII), unlike
     * {@link #login(String, String)}, which drops the high byte of non-ASCII characters.
     *
     * @param user     login name
     * @param password password
     * @throws ProtocolException if the server refuses ({@code NO}, {@code BAD}) or the connection fails
     */
    void loginUtf8(String user, String password) throws ProtocolException {
        Argument args = new Argument();
        args.writeString(user, StandardCharsets.UTF_8);
        args.writeString(password, StandardCharsets.UTF_8);
        Response[] r;
        boolean trace = isTracing();
        try {
            if (trace) {
                suspendTracing();
            }
            r = command("LOGIN", args);
        } finally {
            if (trace) {
                resumeTracing();
            }
        }
        handleCapabilityResponse(r);
        Response last = r[r.length - 1];
        handleLoginResult(last);
        setCapabilities(last);
    }

    /**
     * {@code AUTHENTICATE} with a mechanism whose client speaks once (XOAUTH2, OAUTHBEARER): the
     * initial response goes in the command with SASL-IR (RFC 4959), else after the continuation.
     * An error challenge (a continuation carrying the server's JSON error) is answered with
     * {@code errorReply}, after which the server completes the command with NO.
     *
     * @param mechanism  the mechanism name
     * @param initial    the client's response, sent base64-encoded; a secret (never traced)
     * @param errorReply the line answering an error challenge (empty for XOAUTH2, {@code AQ==} for
     *                   OAUTHBEARER)
     * @return the tagged completion; on OK the capabilities are updated
     * @throws ProtocolException if the connection fails
     */
    Response authenticate(String mechanism, byte[] initial, String errorReply) throws ProtocolException {
        String encoded = java.util.Base64.getEncoder().encodeToString(initial);
        boolean trace = isTracing();
        if (trace) {
            suspendTracing();
        }
        try {
            java.util.List<Response> untagged = new java.util.ArrayList<>();
            String tag;
            boolean sentResponse;
            if (hasCapability("SASL-IR")) {
                tag = writeCommand("AUTHENTICATE " + mechanism + " " + encoded, null);
                sentResponse = true;
            } else {
                tag = writeCommand("AUTHENTICATE " + mechanism, null);
                sentResponse = false;
            }
            while (true) {
                Response r = readResponse();
                if (r.isContinuation()) {
                    OutputStream os = getOutputStream();
                    os.write(((sentResponse ? errorReply : encoded) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    os.flush();
                    sentResponse = true;
                    continue;
                }
                if (r.isTagged() && tag.equals(r.getTag())) {
                    Response[] all = untagged.toArray(new Response[0]);
                    handleCapabilityResponse(all);
                    if (r.isOK()) {
                        setCapabilities(r);
                    }
                    return r;
                }
                if (r.isBYE()) {
                    markBroken();
                    return r;
                }
                untagged.add(r);
            }
        } catch (IOException e) {
            throw lostDuringLogin(e);
        } finally {
            if (trace) {
                resumeTracing();
            }
        }
    }

    private ProtocolException lostDuringLogin(IOException e) {
        markBroken();
        return new ProtocolException("connection lost during AUTHENTICATE: " + e.getMessage(), e);
    }

    /** Returns the current capability map (a new map object after the capabilities were re-read). */
    Map<String, String> capabilityMap() {
        return getCapabilities();
    }

    /**
     * Writes a command without waiting for its completion.
     *
     * @param command the command name and any arguments written as plain text (ASCII only)
     * @param args    further arguments, or {@code null}
     * @return the pending command
     * @throws ConnectorException if the connection fails
     */
    Pending send(String command, Argument args) {
        ensureUsable();
        try {
            String tag = writeCommand(command, args);
            outstanding.add(tag);
            return new Pending(tag, null);
        } catch (LiteralException e) {
            return new Pending(null, e.getResponse());
        } catch (IOException e) {
            if (e instanceof ContentException ce) {
                markBroken();
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL,
                        "Could not read the message to send to " + where + ": " + ce.getMessage(), ce.getCause());
            }
            throw lost(e);
        } catch (ProtocolException e) {
            throw lost(e);
        }
    }

    /**
     * Reads responses up to the completion of a pending command. Untagged responses are tracked
     * (EXISTS, EXPUNGE, CAPABILITY) and then passed to {@code untagged}. With several commands in
     * flight, untagged responses belonging to a later command may be passed to an earlier
     * command's handler (RFC 3501 section 5.5 lets servers interleave them); callers of pipelined
     * commands share one handler state. Completions of other pending commands are kept for their
     * own {@code await}.
     *
     * @param pending  the command
     * @param untagged receives untagged responses, in order
     * @return the tagged completion (OK, NO or BAD)
     * @throws ConnectorException if the connection fails or the server says BYE
     */
    Response await(Pending pending, Consumer<Response> untagged) {
        if (pending.early() != null) {
            return pending.early();
        }
        Response done = completed.remove(pending.tag());
        if (done != null) {
            return done;
        }
        while (true) {
            Response r = next();
            if (r.isTagged()) {
                if (!outstanding.remove(r.getTag())) {
                    markBroken();
                    throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "Server " + where
                            + " answered an unknown command " + r.getTag());
                }
                if (pending.tag().equals(r.getTag())) {
                    return r;
                }
                completed.put(r.getTag(), r);
                continue;
            }
            if (r.isContinuation()) {
                continue; // not expected outside literals; ignore
            }
            untagged.accept(r);
        }
    }

    /**
     * Writes a command and reads its responses.
     *
     * @param command  the command text
     * @param args     arguments, or {@code null}
     * @param untagged receives untagged responses
     * @return the tagged completion
     * @throws ConnectorException if the connection fails or the server says BYE
     */
    Response run(String command, Argument args, Consumer<Response> untagged) {
        return await(send(command, args), untagged);
    }

    /** As {@link #run(String, Argument, Consumer)}, ignoring untagged responses beyond tracking. */
    Response run(String command, Argument args) {
        return run(command, args, r -> { });
    }

    /**
     * Waits for the continuation request of a synchronising literal; for {@link Argument}
     * implementations writing literals.
     *
     * @throws LiteralException carrying the tagged answer if the server refuses the command instead
     * @throws IOException      if the connection fails
     */
    void awaitContinuation() throws IOException, ProtocolException {
        out().flush();
        while (true) {
            Response r = readResponse();
            if (r.isContinuation()) {
                return;
            }
            if (r.isTagged()) {
                throw new LiteralException(r);
            }
            if (r.isBYE()) {
                throw new IOException("server closed the connection: " + r);
            }
            track(r);
        }
    }

    /** Reads one response, tracking it; BYE and I/O errors end the connection. */
    private Response next() {
        ensureUsable();
        while (true) {
            Response r;
            try {
                r = readResponse();
            } catch (IOException e) {
                throw lost(e);
            } catch (ProtocolException e) {
                // One unparseable response (e.g. a FETCH item Angus does not know): skip it, as
                // Angus' own command loop does. The message it concerned is reported as missing.
                LOG.debug("Ignoring a response from {} that could not be parsed", where, e);
                continue;
            }
            if (r.isBYE()) {
                ServerReply reply = ServerReply.of(r);
                markBroken();
                if (ImapErrors.isThrottling(reply)) {
                    java.time.Duration hint = ImapErrors.backoffHint(reply);
                    throw new ConnectorException(ConnectorException.Kind.THROTTLED, "Server " + where
                            + " closed the connection: " + reply, hint != null ? hint : ImapErrors.DEFAULT_BACKOFF);
                }
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "Server " + where
                        + " closed the connection: " + reply);
            }
            if (r.isUnTagged()) {
                track(r);
            }
            return r;
        }
    }

    private void track(Response r) {
        if (!(r instanceof IMAPResponse ir) || ir.isOK() || ir.isNO() || ir.isBAD()) {
            return;
        }
        if (ir.keyEquals("EXISTS")) {
            exists = ir.getNumber();
        } else if (ir.keyEquals("EXPUNGE")) {
            exists = Math.max(0, exists - 1);
            expunges++;
        } else if (ir.keyEquals("CAPABILITY")) {
            handleCapabilityResponse(new Response[] {ir});
            ir.reset();
        }
    }

    private void ensureUsable() {
        if (broken) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "The connection to " + where
                    + " is closed");
        }
    }

    private ConnectorException lost(Exception e) {
        markBroken();
        String why = e instanceof SocketTimeoutException ? "no answer in time (" + e.getMessage() + ")" : e.getMessage();
        return new ConnectorException(ConnectorException.Kind.PROTOCOL, "Lost the connection to " + where + ": " + why, e);
    }

    /** A message's content could not be read while it was being sent; the command is unusable. */
    static final class ContentException extends IOException {
        private static final long serialVersionUID = 1L;

        ContentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
