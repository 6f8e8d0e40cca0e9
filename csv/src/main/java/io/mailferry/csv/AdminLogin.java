package io.mailferry.csv;

import io.mailferry.core.MigrationUserEntry;

import java.util.Objects;

/**
 * Builds the IMAP {@code UserName} through which an administrator ("super user") opens another
 * user's mailbox, in the formats the Exchange migration service documents for IMAP servers. With an
 * administrator login every row of the CSV carries the <em>administrator's</em> password in
 * {@code Password}, so users changing their own passwords cannot break later incremental syncs.
 *
 * <table>
 * <caption>Formats</caption>
 * <tr><th>Server</th><th>{@code UserName}</th><th>Example</th></tr>
 * <tr><td>Microsoft Exchange (IMAP4)</td><td>{@code Domain/Admin/User}</td>
 *     <td>{@code contoso-students/mailadmin/terry.adams}</td></tr>
 * <tr><td>Dovecot and other SASL servers</td><td>{@code User*Admin}, {@code *} being the server's
 *     master user separator ({@code auth_master_user_separator})</td><td>{@code terry.adams*mailadmin}</td></tr>
 * <tr><td>Mirapoint</td><td>{@code #user@domain#Admin#}</td>
 *     <td>{@code #terry.adams@contoso-students.edu#mailadmin#}</td></tr>
 * </table>
 *
 * <p><strong>Courier IMAP, Oracle IMAP and other servers without administrator logins:</strong> set
 * up virtual shared folders so the administrator sees every user's mailbox, put the
 * administrator's login in {@code UserName}, the administrator's password in {@code Password}, and
 * the path of the user's mailbox in the {@code UserRoot} column, e.g.
 * {@code terry.adams@contoso.edu,mailadmin,P@ssw0rd,/users/terry.adams}. The source connector then
 * migrates that folder subtree as the user's mailbox ({@link MigrationUserEntry#userRoot()}).
 *
 * <p>Immutable and thread-safe. Holds no password; {@link #toString()} shows the format and the
 * administrator's login.
 */
public final class AdminLogin {

    private enum Format { EXCHANGE, DOVECOT, MIRAPOINT }

    private final Format format;
    private final String domain;
    private final String adminUserName;
    private final String separator;

    private AdminLogin(Format format, String domain, String adminUserName, String separator) {
        this.format = format;
        this.domain = domain;
        this.adminUserName = adminUserName;
        this.separator = separator;
    }

    /**
     * Microsoft Exchange's IMAP4 format {@code Domain/Admin/User}.
     *
     * @param domain        the Windows (NetBIOS) domain, e.g. {@code contoso-students}
     * @param adminUserName the administrator's user name, e.g. {@code mailadmin}
     * @return the format
     * @throws IllegalArgumentException if a part is blank or contains {@code /}, white space or
     *                                  control characters
     */
    public static AdminLogin exchange(String domain, String adminUserName) {
        return new AdminLogin(Format.EXCHANGE, part("domain", domain, "/"), part("adminUserName", adminUserName, "/"),
                "/");
    }

    /**
     * Dovecot's master user format {@code User*Admin}.
     *
     * @param adminUserName the master user's name, e.g. {@code mailadmin}
     * @return the format
     * @throws IllegalArgumentException if the name is blank or contains {@code *}, white space or
     *                                  control characters
     */
    public static AdminLogin dovecot(String adminUserName) {
        return dovecot(adminUserName, "*");
    }

    /**
     * Dovecot's (or another SASL server's) master user format {@code User<separator>Admin}.
     *
     * @param adminUserName the master user's name
     * @param separator     the server's master user separator (Dovecot's
     *                      {@code auth_master_user_separator}), e.g. {@code *}
     * @return the format
     * @throws IllegalArgumentException if a part is blank, the name contains the separator, or a
     *                                  part contains white space or control characters
     */
    public static AdminLogin dovecot(String adminUserName, String separator) {
        String sep = part("separator", separator, "");
        return new AdminLogin(Format.DOVECOT, null, part("adminUserName", adminUserName, sep), sep);
    }

    /**
     * Mirapoint's format {@code #user@domain#Admin#}.
     *
     * @param adminUserName the administrator's user name
     * @return the format
     * @throws IllegalArgumentException if the name is blank or contains {@code #}, white space or
     *                                  control characters
     */
    public static AdminLogin mirapoint(String adminUserName) {
        return new AdminLogin(Format.MIRAPOINT, null, part("adminUserName", adminUserName, "#"), "#");
    }

    /**
     * Returns the {@code UserName} that opens a user's mailbox as the administrator.
     *
     * @param user the user's own login on the source (for Mirapoint {@code user@domain})
     * @return the login, e.g. {@code terry.adams*mailadmin}
     * @throws IllegalArgumentException if {@code user} is blank, contains the format's separator,
     *                                  white space or control characters, or (Mirapoint) has no {@code @}
     */
    public String userName(String user) {
        String u = part("user", user, separator);
        return switch (format) {
            case EXCHANGE -> domain + "/" + adminUserName + "/" + u;
            case DOVECOT -> u + separator + adminUserName;
            case MIRAPOINT -> {
                if (u.indexOf('@') <= 0 || u.endsWith("@")) {
                    throw new IllegalArgumentException("a Mirapoint user must be given as user@domain");
                }
                yield "#" + u + "#" + adminUserName + "#";
            }
        };
    }

    /**
     * Returns the entry of a user migrated with the administrator's credentials: {@code UserName}
     * from {@link #userName(String)}, {@code Password} the administrator's.
     *
     * @param emailAddress  the target mailbox
     * @param user          the user's own login on the source
     * @param adminPassword the administrator's password, not {@code null}
     * @return the entry
     * @throws IllegalArgumentException as {@link #userName(String)} and {@link MigrationUserEntry}
     */
    public MigrationUserEntry entry(String emailAddress, String user, String adminPassword) {
        Objects.requireNonNull(adminPassword, "adminPassword");
        return MigrationUserEntry.of(emailAddress, userName(user), adminPassword);
    }

    /**
     * Returns the entry of a user on a server without administrator logins (Courier IMAP, Oracle
     * IMAP): the administrator logs in with their own login and password, and {@code userRoot} is
     * the path of the user's mailbox in the virtual shared folders, as the CSV row
     * {@code terry.adams@contoso.edu,mailadmin,P@ssw0rd,/users/terry.adams} gives it.
     *
     * @param emailAddress  the target mailbox
     * @param adminUserName the administrator's login, e.g. {@code mailadmin}
     * @param adminPassword the administrator's password, not {@code null}
     * @param userRoot      the user's folder path, e.g. {@code /users/terry.adams}
     * @return the entry
     * @throws IllegalArgumentException if the login is blank or contains white space or control
     *                                  characters, the path is blank, starts or ends with white space
     *                                  or contains control characters, or as {@link MigrationUserEntry}
     */
    public static MigrationUserEntry sharedFolderEntry(String emailAddress, String adminUserName, String adminPassword,
                                                       String userRoot) {
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(userRoot, "userRoot");
        if (userRoot.isBlank() || !userRoot.strip().equals(userRoot) || userRoot.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("userRoot must be a folder path such as /users/terry.adams, without "
                    + "surrounding spaces or control characters");
        }
        return new MigrationUserEntry(emailAddress, part("adminUserName", adminUserName, ""), adminPassword, null, null,
                userRoot);
    }

    private static String part(String what, String value, String forbidden) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || Character.isISOControl(cp))) {
            throw new IllegalArgumentException(what + " must not contain white space or control characters");
        }
        if (!forbidden.isEmpty() && value.contains(forbidden)) {
            throw new IllegalArgumentException(what + " must not contain '" + forbidden + "', the format's separator");
        }
        return value;
    }

    @Override
    public String toString() {
        return switch (format) {
            case EXCHANGE -> "AdminLogin[Exchange " + domain + "/" + adminUserName + "/<user>]";
            case DOVECOT -> "AdminLogin[Dovecot <user>" + separator + adminUserName + "]";
            case MIRAPOINT -> "AdminLogin[Mirapoint #<user@domain>#" + adminUserName + "#]";
        };
    }
}
