package io.mailferry.testing.internal;

import io.mailferry.testing.RawMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus Mail's {@link IMAPProtocol} plus what it lacks for loading test data fast: pipelined
 * {@code APPEND} with non-synchronizing literals (RFC 7888 LITERAL+), several messages per command
 * (RFC 3502 MULTIAPPEND) and {@code literal8} (RFC 3516 BINARY) for messages whose bytes a plain
 * literal would not carry unchanged (NUL, bare CR).
 *
 * <p>Not thread-safe beyond what {@link IMAPProtocol} guarantees: one caller at a time.
 */
public final class ImapConnection extends IMAPProtocol {

    /**
     * One {@code APPEND} command.
     *
     * @param mailbox the target mailbox (not yet encoded)
     * @param messages one message, or several for a MULTIAPPEND
     */
    public record AppendCommand(String mailbox, List<RawMessage> messages) {
        /** Validates and copies. */
        public AppendCommand {
            Objects.requireNonNull(mailbox, "mailbox");
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("no messages");
            }
        }
    }

    private int tags;

    /**
     * Connects and reads the greeting.
     *
     * @param host the server
     * @param port its port (plain IMAP, no TLS)
     * @param timeout connect and read timeout
     * @throws IOException if the connection fails
     * @throws ProtocolException if the greeting is not OK or PREAUTH
     */
    public ImapConnection(String host, int port, Duration timeout) throws IOException, ProtocolException {
        super("imap", host, port, properties(timeout), false, logger());
    }

    private static Properties properties(Duration timeout) {
        Properties p = new Properties();
        String ms = Long.toString(timeout.toMillis());
        p.setProperty("mail.imap.connectiontimeout", ms);
        p.setProperty("mail.imap.timeout", ms);
        return p;
    }

    /** Angus logs the protocol through java.util.logging at FINE, off unless configured. */
    private static MailLogger logger() {
        return new MailLogger(ImapConnection.class, "DEBUG IMAP", false, System.out);
    }

    /**
     * Quotes a mailbox name for a command: modified UTF-7 (RFC 3501 section 5.1.3), then an IMAP
     * quoted string.
     *
     * @param name the mailbox name
     * @return the quoted, encoded name
     * @throws IllegalArgumentException if the name contains CR, LF or NUL
     */
    public static String quoteMailbox(String name) {
        if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("mailbox name with CR, LF or NUL: " + name);
        }
        String enc = BASE64MailboxEncoder.encode(name);
        return '"' + enc.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Sends the commands pipelined, at most {@code window} unanswered at a time, each with
     * non-synchronizing literals. The caller must have checked that the server offers LITERAL+
     * (and MULTIAPPEND for commands with several messages).
     *
     * @param commands the commands, sent in order
     * @param window how many commands may be outstanding, at least 1
     * @return the tagged response of each command, in the order of {@code commands}
     * @throws IOException if the connection fails
     * @throws ProtocolException if the server closes the connection or answers unexpectedly
     */
    public synchronized Response[] appendPipelined(List<AppendCommand> commands, int window)
            throws IOException, ProtocolException {
        boolean binary = hasCapability("BINARY");
        Response[] results = new Response[commands.size()];
        Map<String, Integer> pending = new HashMap<>();
        int next = 0;
        int done = 0;
        while (done < commands.size()) {
            while (next < commands.size() && pending.size() < Math.max(1, window)) {
                String tag = "MF" + (++tags);
                write(tag, commands.get(next), binary);
                pending.put(tag, next);
                next++;
            }
            Response r = readResponse();
            if (r.isTagged()) {
                Integer i = pending.remove(r.getTag());
                if (i == null) {
                    throw new ProtocolException("response to a command not sent: " + r);
                }
                results[i] = r;
                done++;
            } else if (r.isBYE()) {
                throw new ProtocolException("server closed the connection: " + r);
            } else if (r.isContinuation()) {
                throw new ProtocolException("unexpected continuation request (no LITERAL+?): " + r);
            }
            // untagged EXISTS/RECENT/... : ignored
        }
        return results;
    }

    private void write(String tag, AppendCommand cmd, boolean binary) throws IOException {
        OutputStream os = getOutputStream();
        os.write(ascii(tag + " APPEND " + quoteMailbox(cmd.mailbox())));
        for (RawMessage m : cmd.messages()) {
            StringBuilder b = new StringBuilder(" ");
            if (!m.flags().isEmpty()) {
                b.append('(').append(String.join(" ", m.flags())).append(") ");
            }
            if (m.internalDate() != null) {
                b.append('"').append(ImapDates.format(m.internalDate())).append("\" ");
            }
            byte[] bytes = m.bytes();
            boolean literal8 = binary && (LineEndings.hasNul(bytes) || LineEndings.hasBareCr(bytes));
            b.append(literal8 ? "~{" : "{").append(bytes.length).append("+}\r\n");
            os.write(ascii(b.toString()));
            os.write(bytes);
        }
        os.write(ascii("\r\n"));
        os.flush();
    }

    /** Closes the socket without a LOGOUT (after a failed login, for instance). */
    public void closeQuietly() {
        disconnect();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
