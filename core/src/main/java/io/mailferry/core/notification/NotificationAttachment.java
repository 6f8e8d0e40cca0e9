package io.mailferry.core.notification;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file attached to a {@link Notification}, e.g. {@code MigrationStatistics.csv}. Immutable: the
 * content is copied in and out.
 *
 * @param fileName    the file name shown to the recipient, e.g. {@code MigrationErrors.csv}; not
 *                    blank, without path separators or control characters
 * @param contentType the MIME type with parameters, e.g. {@code text/csv; charset=UTF-8}; not blank,
 *                    without control characters
 * @param content     the file's bytes, exactly as the recipient must get them; never {@code null}
 */
public record NotificationAttachment(String fileName, String contentType, byte[] content) {

    /** The content type of MailFerry's CSV reports (RFC 7111 {@code text/csv}, UTF-8). */
    public static final String CSV_UTF8 = "text/csv; charset=UTF-8";

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if the file name or content type is blank or contains control
     *                                  characters, or the file name contains {@code /} or {@code \}
     */
    public NotificationAttachment {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
        if (fileName.isBlank() || fileName.indexOf('/') >= 0 || fileName.indexOf('\\') >= 0
                || fileName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("attachment file name must be a plain, non-blank file name");
        }
        if (contentType.isBlank() || contentType.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("attachment content type must be non-blank, without control characters");
        }
        content = content.clone();
    }

    /** Returns a copy of the file's bytes. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Returns the size of the content in bytes. */
    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotificationAttachment a && fileName.equals(a.fileName)
                && contentType.equals(a.contentType) && Arrays.equals(content, a.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "NotificationAttachment[fileName=" + fileName + ", contentType=" + contentType + ", size="
                + content.length + "]";
    }
}
