package io.mailferry.core.spi;

import io.mailferry.core.Credentials;

import java.util.Objects;

/**
 * Which mailbox to open and how to log in.
 *
 * <p>Without impersonation, {@code credentials} are the mailbox owner's and {@code mailbox} is their
 * user name. With impersonation, {@code credentials} are the endpoint's administrator's, and the
 * connector opens {@code mailbox} the way the endpoint's
 * {@link io.mailferry.core.MigrationEndpoint#impersonation() impersonation} says.
 *
 * @param mailbox     the mailbox to open (a login name or an e-mail address), never blank
 * @param credentials who logs in, never {@code null}
 * @param impersonate {@code true} if {@code credentials} belong to an administrator acting for
 *                    {@code mailbox}
 * @param userRoot    for servers without administrator login: the path of the user's folder tree
 *                    under which to work (Exchange's {@code UserRoot}), or {@code null}
 */
public record MailboxAccess(String mailbox, Credentials credentials, boolean impersonate, String userRoot) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if {@code mailbox} or {@code credentials} is {@code null}
     * @throws IllegalArgumentException if {@code mailbox} is blank
     */
    public MailboxAccess {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(credentials, "credentials");
        if (mailbox.isBlank()) {
            throw new IllegalArgumentException("mailbox must not be blank");
        }
    }

    /**
     * The owner logs in with their own credentials.
     *
     * @param credentials the owner's credentials
     * @return the access
     */
    public static MailboxAccess own(Credentials credentials) {
        return new MailboxAccess(credentials.username(), credentials, false, null);
    }

    /**
     * An administrator opens someone else's mailbox.
     *
     * @param mailbox the mailbox to open
     * @param admin   the administrator's credentials
     * @return the access
     */
    public static MailboxAccess impersonating(String mailbox, Credentials admin) {
        return new MailboxAccess(mailbox, admin, true, null);
    }
}
