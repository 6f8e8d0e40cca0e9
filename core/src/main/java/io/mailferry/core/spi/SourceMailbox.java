package io.mailferry.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mailbox to migrate from. Never modifies the mailbox: no flag changes (messages are read with
 * {@code BODY.PEEK[]}, RFC 3501 section 6.4.5), no expunges.
 */
public interface SourceMailbox extends MailboxSession {

    /**
     * Lists messages with a UID above {@code afterUid}, in ascending UID order.
     *
     * @param folder   full folder name
     * @param afterUid list UIDs strictly greater than this (0 for all)
     * @param limit    at most this many, at least 1
     * @return up to {@code limit} messages; fewer (possibly none) when the folder has no more
     * @throws ConnectorException on failure
     */
    List<MessageInfo> listMessages(String folder, long afterUid, int limit);

    /**
     * Reads the current flags of messages in a UID range.
     *
     * @param folder          full folder name
     * @param fromUid         first UID, at least 1
     * @param toUid           last UID, at least {@code fromUid}
     * @param changedSinceModSeq with {@link ConnectorCapability#CONDSTORE}: only messages whose
     *                        MODSEQ is above this (RFC 7162 {@code CHANGEDSINCE}); 0 for all
     * @return UID → flags, for the messages that exist in the range (and changed)
     * @throws ConnectorException on failure
     */
    Map<Long, MessageFlags> fetchFlags(String folder, long fromUid, long toUid, long changedSinceModSeq);

    /**
     * Streams the raw bytes of messages into a sink, in the order given. A message that cannot
     * be read is reported with {@link MessageSink#failed}; the others are still delivered.
     *
     * @param folder   full folder name
     * @param messages messages as listed by {@link #listMessages}
     * @param sink     receives each message
     * @throws ConnectorException on a failure that ends the fetch (connection lost…)
     * @throws java.io.UncheckedIOException if the sink failed
     */
    void fetchMessages(String folder, List<MessageInfo> messages, MessageSink sink);

    /**
     * {@inheritDoc}
     *
     * <p>The default lists the range's messages and reads each whole with
     * {@link #fetchMessages}, keeping the header fields; connectors that can ask the server for
     * header fields alone should override it. A message the source cannot deliver is left out.
     */
    @Override
    default List<MessageHeaders> fetchHeaders(String folder, long fromUid, long toUid, List<String> fieldNames) {
        if (fromUid < 1 || toUid < fromUid) {
            throw new IllegalArgumentException("bad UID range " + fromUid + ":" + toUid);
        }
        List<MessageHeaders> out = new ArrayList<>();
        long after = fromUid - 1;
        while (after < toUid) {
            List<MessageInfo> page = new ArrayList<>();
            for (MessageInfo m : listMessages(folder, after, 500)) {
                if (m.uid() > after && m.uid() <= toUid) {
                    page.add(m);
                }
            }
            if (page.isEmpty()) {
                break;
            }
            fetchMessages(folder, page, new MessageSink() {
                @Override
                public void accept(MessageInfo message, InputStream content) throws IOException {
                    out.add(MessageHeaders.extract(message.uid(), message.size(), content, fieldNames));
                }

                @Override
                public void failed(MessageInfo message, String reason) {
                    // not readable: it cannot be matched, and will be reported when copied
                }
            });
            after = page.get(page.size() - 1).uid();
        }
        return out;
    }
}
