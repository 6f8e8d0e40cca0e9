package io.mailferry.core;

/**
 * How the connection to an endpoint is protected, as in {@code New-MigrationEndpoint -Security}.
 */
public enum Security {
    /** Plaintext. Only used when asked for explicitly; credentials travel unencrypted. */
    NONE,
    /** TLS from the first byte (IMAPS, usually port 993). The default. */
    SSL,
    /** Plaintext connection upgraded with STARTTLS (RFC 3501 section 6.2.1, usually port 143). */
    STARTTLS;

    /**
     * Parses a user-supplied value ({@code none}, {@code ssl}, {@code tls}, {@code starttls}),
     * ignoring case. Exchange's {@code Tls} means STARTTLS.
     *
     * @param value the text, not {@code null}
     * @return the security mode
     * @throws IllegalArgumentException if the text names no mode
     */
    public static Security parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "none", "plain", "plaintext" -> NONE;
            case "ssl", "imaps" -> SSL;
            case "tls", "starttls" -> STARTTLS;
            default -> throw new IllegalArgumentException(
                    "unknown security '" + value + "': use none, ssl or starttls");
        };
    }
}
