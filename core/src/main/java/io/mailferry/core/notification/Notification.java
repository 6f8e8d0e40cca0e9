package io.mailferry.core.notification;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A message for administrators, e.g. a batch report: recipients, subject, plain text and
 * attachments. Immutable; holds no secret.
 *
 * @param recipients  the addresses to send to ({@code addr-spec} of RFC 5322, e.g.
 *                    {@code admin@contoso.edu}), in order, at least one, no duplicates (ignoring
 *                    case); none blank or containing white space, control characters, {@code <},
 *                    {@code >}, {@code ,} or {@code ;} (one address per element, no display names)
 * @param subject     the subject line, one line (no CR or LF), may be empty, never {@code null}
 * @param text        the plain-text body; lines may end with LF or CRLF; never {@code null}
 * @param attachments files to attach, in order, possibly none; file names distinct (ignoring case)
 */
public record Notification(List<String> recipients, String subject, String text,
                           List<NotificationAttachment> attachments) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     if a component or an element is {@code null}
     * @throws IllegalArgumentException if there is no recipient, a recipient is not a single plain
     *                                  address or appears twice, the subject has a line break, or two
     *                                  attachments have the same file name
     */
    public Notification {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        attachments = List.copyOf(attachments);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a notification needs at least one recipient");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String r : recipients) {
            checkAddress(r);
            if (!seen.add(r.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("recipient '" + r + "' appears twice");
            }
        }
        if (subject.indexOf('\r') >= 0 || subject.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the subject must be one line");
        }
        Set<String> names = new LinkedHashSet<>();
        for (NotificationAttachment a : attachments) {
            if (!names.add(a.fileName().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("two attachments are named '" + a.fileName() + "'");
            }
        }
    }

    /**
     * Checks that a text is one plain address as {@link #recipients()} requires.
     *
     * @param address the text
     * @return the address
     * @throws NullPointerException     if {@code address} is {@code null}
     * @throws IllegalArgumentException if it is not one plain {@code local@domain} address
     */
    public static String checkAddress(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.lastIndexOf('@');
        boolean bad = at <= 0 || at == address.length() - 1
                || address.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || Character.isISOControl(cp) || cp == '<' || cp == '>' || cp == ',' || cp == ';');
        if (bad) {
            String shown = address.length() > 100 ? address.substring(0, 100) + "..." : address;
            throw new IllegalArgumentException("'" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' is not a single e-mail address such as admin@contoso.edu");
        }
        return address;
    }

    @Override
    public String toString() {
        return "Notification[recipients=" + recipients + ", subject=" + subject + ", text=" + text.length()
                + " characters, attachments=" + attachments + "]";
    }
}
