package io.mailferry.core;

import java.util.Objects;

/**
 * A user name and password for logging in to a mail system.
 *
 * <p>{@link #toString()} never shows the password, so credentials can be logged or put into
 * exception messages safely; the password is only reachable through {@link #password()}.
 *
 * @param username the login name, never {@code null} or blank; may be an administrator login
 *                 string such as Dovecot's {@code user*admin}
 * @param password the password, never {@code null} (may be empty for servers that accept that)
 */
public record Credentials(String username, String password) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     if either component is {@code null}
     * @throws IllegalArgumentException if {@code username} is blank
     */
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username must not be blank");
        }
    }

    /** Returns the user name and a mask in place of the password. */
    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
