package io.mailferry.core;

import java.util.Objects;

/**
 * How an endpoint's administrator credentials open another user's mailbox.
 *
 * <p>The Exchange migration service documents the administrator ("super user") login formats in
 * its IMAP CSV guidance; MailFerry supports the two that work over standard IMAP:
 * <ul>
 *   <li>{@link Mode#LOGIN_STRING}: the login name combines user and administrator, e.g. Dovecot's
 *       master-user form {@code terry.adams*mailadmin} with the administrator's password;</li>
 *   <li>{@link Mode#SASL_AUTHORIZATION_ID}: SASL PLAIN with the mailbox as authorization identity
 *       and the administrator as authentication identity (RFC 4616 section 2), supported by
 *       Dovecot, Cyrus and others.</li>
 * </ul>
 *
 * @param mode      which of the two ways, never {@code null}
 * @param separator for {@link Mode#LOGIN_STRING}: what stands between user and administrator
 *                  ({@code *} for Dovecot's default {@code auth_master_user_separator}); ignored
 *                  otherwise; never {@code null} or empty
 */
public record Impersonation(Mode mode, String separator) {

    /** The two ways of impersonating a user. */
    public enum Mode {
        /** {@code <user><separator><admin>} as login name, with the administrator's password. */
        LOGIN_STRING,
        /** SASL PLAIN with authzid = the user's mailbox, authcid = the administrator. */
        SASL_AUTHORIZATION_ID
    }

    /** SASL PLAIN with an authorization identity: the default when admin credentials are set. */
    public static final Impersonation SASL_AUTHORIZATION_ID = new Impersonation(Mode.SASL_AUTHORIZATION_ID, "*");

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if the separator is empty
     */
    public Impersonation {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
    }

    /**
     * A login-string impersonation such as Dovecot's master user login.
     *
     * @param separator the master-user separator, e.g. {@code "*"}
     * @return the impersonation
     */
    public static Impersonation loginString(String separator) {
        return new Impersonation(Mode.LOGIN_STRING, separator);
    }

    /**
     * The login name to use for {@link Mode#LOGIN_STRING}.
     *
     * @param user  the mailbox to open
     * @param admin the administrator's login
     * @return {@code user + separator + admin}
     */
    public String loginFor(String user, String admin) {
        return user + separator + admin;
    }
}
