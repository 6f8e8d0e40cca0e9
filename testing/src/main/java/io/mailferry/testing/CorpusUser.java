package io.mailferry.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Enron mailbox. Immutable.
 *
 * @param name the CMU user name, e.g. {@code badeer-r}
 * @param folders its folders sorted by path, so that a parent always comes before its children
 */
public record CorpusUser(String name, List<CorpusFolder> folders) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public CorpusUser {
        Objects.requireNonNull(name, "name");
        folders = List.copyOf(folders);
    }

    /**
     * @param path a folder path, e.g. {@code notes/bankruptcy}
     * @return the folder with that path
     */
    public Optional<CorpusFolder> folder(String path) {
        return folders.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /**
     * @return every message of every folder, folder by folder
     */
    public List<CorpusMessage> messages() {
        return folders.stream().flatMap(f -> f.messages().stream()).toList();
    }

    /**
     * @return the number of messages
     */
    public int messageCount() {
        return folders.stream().mapToInt(f -> f.messages().size()).sum();
    }

    /**
     * @return the sum of the messages' sizes in bytes
     */
    public long bytes() {
        return folders.stream().mapToLong(CorpusFolder::bytes).sum();
    }
}
