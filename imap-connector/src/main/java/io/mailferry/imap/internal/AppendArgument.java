package io.mailferry.imap.internal;

import io.mailferry.core.spi.MessageContent;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.iap.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The arguments of an {@code APPEND} command with one message (RFC 3501 section 6.3.11) or several
 * (MULTIAPPEND, RFC 3502 section 6.3.11): the mailbox, then per message an optional flag list, an
 * optional date-time and the message as a literal. Written by hand rather than with Angus'
 * {@code Argument} items because Angus can neither write a {@code literal8} ({@code ~{n}}, RFC 3516
 * section 4.4) nor stream a literal whose bytes come from a {@link MessageContent}.
 *
 * <p>Literals are non-synchronising ({@code {n+}}) when the server allows it (LITERAL+/LITERAL-,
 * RFC 7888); otherwise each waits for the server's continuation, and a server that refuses the
 * command instead ends the writing with its tagged answer.
 */
final class AppendArgument extends Argument {

    /**
     * One message of the command.
     *
     * @param flagList flag list with parentheses, or {@code null} for none
     * @param date     date-time without quotes, or {@code null} for none
     * @param content  the bytes
     * @param literal8 send as {@code literal8} (the message contains NUL bytes)
     */
    record Item(String flagList, String date, MessageContent content, boolean literal8) {
    }

    private final ImapWire wire;
    private final String mailbox;
    private final List<Item> items;

    AppendArgument(ImapWire wire, String mailbox, List<Item> items) {
        this.wire = wire;
        this.mailbox = mailbox;
        this.items = List.copyOf(items);
    }

    @Override
    public void write(Protocol protocol) throws IOException, ProtocolException {
        Argument name = new Argument();
        wire.mailbox(name, mailbox);
        name.write(protocol);
        OutputStream os = wire.out();
        for (Item item : items) {
            StringBuilder head = new StringBuilder(" ");
            if (item.flagList() != null) {
                head.append(item.flagList()).append(' ');
            }
            if (item.date() != null) {
                head.append('"').append(item.date()).append("\" ");
            }
            long size = item.content().size();
            boolean nonSync = wire.nonSyncLiteral(size);
            head.append(item.literal8() ? "~{" : "{").append(size).append(nonSync ? "+}" : "}").append("\r\n");
            os.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            if (!nonSync) {
                wire.awaitContinuation(); // throws LiteralException with the tagged answer on refusal
            }
            copy(item.content(), os, size);
        }
    }

    private static void copy(MessageContent content, OutputStream os, long size) throws IOException {
        InputStream in;
        try {
            in = content.openStream();
        } catch (IOException e) {
            throw new ImapWire.ContentException("opening the message failed: " + e.getMessage(), e);
        }
        long copied = 0;
        try {
            byte[] buf = new byte[64 * 1024];
            while (copied < size) {
                int n;
                try {
                    n = in.read(buf, 0, (int) Math.min(buf.length, size - copied));
                } catch (IOException e) {
                    throw new ImapWire.ContentException("reading the message failed: " + e.getMessage(), e);
                }
                if (n < 0) {
                    break;
                }
                os.write(buf, 0, n); // an IOException here is the connection's
                copied += n;
            }
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // the bytes were read
            }
        }
        if (copied != size) {
            throw new ImapWire.ContentException("the message has " + copied + " bytes, not the " + size + " announced",
                    null);
        }
    }
}
