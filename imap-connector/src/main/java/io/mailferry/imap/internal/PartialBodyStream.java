package io.mailferry.imap.internal;

import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A message's bytes read in partial fetches, {@code UID FETCH uid (UID BODY.PEEK[]<offset.length>)}
 * (RFC 3501 section 6.4.5), while the reader consumes them: at most two chunks are requested at a
 * time (the next one is on its way while the reader works on the current one), so a message of any
 * size needs about two chunks of memory. The stream ends at the first chunk shorter than asked
 * for, whatever size the message was listed with.
 *
 * <p>Protocol: {@link #start()} before handing the stream out, {@link #finish()} after, so that no
 * response is left unread on the connection.
 */
final class PartialBodyStream extends InputStream {

    private record Request(long offset, ImapWire.Pending pending) {
    }

    private final ImapWire wire;
    private final long uid;
    private final long expectedSize;
    private final int chunk;
    private final Deque<Request> outstanding = new ArrayDeque<>();
    /** Chunks received, by offset: a server may send a later command's data first. */
    private final Map<Long, ByteArray> received = new HashMap<>();
    private final Consumer<Response> collector = this::collect;
    private long nextOffset;
    private byte[] buf;
    private int pos;
    private int end;
    private boolean eof;

    PartialBodyStream(ImapWire wire, long uid, long expectedSize, int chunk) {
        this.wire = wire;
        this.uid = uid;
        this.expectedSize = expectedSize;
        this.chunk = chunk;
    }

    /**
     * Requests the first chunks and reads the first one.
     *
     * @return {@code null} if the message can be read, else why not (the server's answer)
     */
    String start() {
        request();
        if (expectedSize > chunk) {
            request();
        }
        String failure = load();
        if (failure != null) {
            finish();
        }
        return failure;
    }

    private void request() {
        String cmd = "UID FETCH " + uid + " (UID BODY.PEEK[]<" + nextOffset + "." + chunk + ">)";
        outstanding.add(new Request(nextOffset, wire.send(cmd, null)));
        nextOffset += chunk;
    }

    /** Reads the next chunk into the buffer; returns a failure text, or {@code null}. */
    private String load() {
        if (outstanding.isEmpty()) {
            request();
        }
        Request req = outstanding.poll();
        Response done = wire.await(req.pending(), collector);
        if (!done.isOK()) {
            return "the server refused to deliver it: " + ServerReply.of(done);
        }
        if (!received.containsKey(req.offset())) {
            return "the server returned no data for UID " + uid + " at offset " + req.offset() + " (deleted meanwhile?)";
        }
        ByteArray data = received.remove(req.offset());
        int n = data == null ? 0 : data.getCount();
        buf = n == 0 ? new byte[0] : data.getBytes();
        pos = n == 0 ? 0 : data.getStart();
        end = pos + n;
        if (n < chunk) {
            eof = true;
        } else if (outstanding.isEmpty() || (outstanding.size() < 2 && nextOffset < expectedSize)) {
            request(); // keep the next chunk on its way
        }
        return null;
    }

    private void collect(Response r) {
        if (r instanceof FetchResponse fr) {
            UID u = fr.getItem(UID.class);
            BODY body = fr.getItem(BODY.class);
            if (u != null && u.uid == uid && body != null && body.getSection().isEmpty()) {
                received.put(body.getOrigin() < 0 ? 0L : (long) body.getOrigin(), body.getByteArray());
            }
        }
    }

    private boolean fill() throws IOException {
        while (pos >= end) {
            if (eof) {
                return false;
            }
            String failure = load();
            if (failure != null) {
                finish();
                throw new MessageGoneException(failure);
            }
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return end - pos;
    }

    /** Reads and drops the answers of chunks still requested; the stream is at its end after. */
    void finish() {
        while (!outstanding.isEmpty()) {
            Request req = outstanding.poll();
            wire.await(req.pending(), r -> { });
        }
        received.clear();
        eof = true;
        buf = null;
        pos = 0;
        end = 0;
    }

    /** As {@link #finish()}, for cleanup after a failure: never throws. */
    void closeQuietly() {
        if (!outstanding.isEmpty() && !wire.isBroken()) {
            try {
                finish();
            } catch (RuntimeException e) {
                wire.markBroken();
            }
        }
    }

    @Override
    public void close() {
        // the session drains the connection after the sink returns
    }

    /** The message could not be read to its end: the server refused a later chunk. */
    static final class MessageGoneException extends IOException {
        private static final long serialVersionUID = 1L;

        MessageGoneException(String message) {
            super(message);
        }
    }
}
