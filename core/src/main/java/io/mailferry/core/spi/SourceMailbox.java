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
     * Returns the folders the latest {@link #listFolders()} left out because this connector cannot
     * migrate their items (see {@link SkippedFolder}), so that the administrator sees them among
     * the user's skipped items instead of only in a log. Call after {@link #listFolders()}.
     *
     * <p>The engine records each such folder as <em>one</em> skipped item of kind
     * {@link io.mailferry.core.SkippedItemKind#NON_MAIL_FOLDER} (with the folder's item count in the
     * reason and its size, when known), once per user and folder: later passes that report the
     * same folder again record nothing new. These items do not count against BadItemLimit or
     * LargeItemLimit: leaving out a folder of another kind is a property of the migration's
     * direction, not a fault of the mailbox. Folders left out by the batch's IncludeFolders /
     * ExcludeFolders are not recorded.
     *
     * <p>The default returns an empty list: connectors that list every folder need not implement it.
     *
     * @return the folders left out, parents before children; empty if none
     * @throws ConnectorException on failure
     */
    default List<SkippedFolder> skippedFolders() {
        return List.of();
    }

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
