package io.mailferry.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A folder of an Enron mailbox: a directory of CMU's maildir copy. Immutable.
 *
 * @param path the folder's path below the user, {@code /}-separated, in CMU's lower-case names,
 *        e.g. {@code inbox}, {@code _sent_mail}, {@code notes/bankruptcy/florida_issues}
 * @param messages its messages in CMU's numeric order ({@code 1.}, {@code 2.}, … {@code 10.});
 *        empty for a folder that only holds subfolders
 */
public record CorpusFolder(String path, List<CorpusMessage> messages) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code path} is empty or has an empty segment
     */
    public CorpusFolder {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || Arrays.asList(path.split("/", -1)).contains("")) {
            throw new IllegalArgumentException("bad folder path: '" + path + "'");
        }
        messages = List.copyOf(messages);
    }

    /**
     * @return the path's segments, e.g. {@code [notes, bankruptcy]}
     */
    public List<String> segments() {
        return List.of(path.split("/"));
    }

    /**
     * @return the last segment
     */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The IMAP mailbox name this folder is loaded into: segments joined with the server's hierarchy
     * separator, and CMU's top-level {@code inbox} becomes {@code INBOX} (so {@code inbox/ncl}
     * becomes {@code INBOX/ncl}). This is the mapping {@link ImapTestClient#loadUser} uses.
     *
     * @param separator the server's hierarchy separator
     * @return the mailbox name (not yet modified-UTF-7 encoded)
     */
    public String imapName(char separator) {
        List<String> s = segments();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
                b.append(separator);
            }
            b.append(i == 0 && s.get(0).equals("inbox") ? "INBOX" : s.get(i));
        }
        return b.toString();
    }

    /**
     * @return the sum of the messages' sizes in bytes
     */
    public long bytes() {
        return messages.stream().mapToLong(CorpusMessage::size).sum();
    }
}
