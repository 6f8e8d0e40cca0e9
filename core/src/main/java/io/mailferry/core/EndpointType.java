package io.mailferry.core;

import java.util.Locale;
import java.util.Objects;

/**
 * The kind of remote system an endpoint describes; it selects the connector
 * ({@link io.mailferry.core.spi.ConnectorProvider#type()}).
 *
 * <p>A value type rather than an enum so that a host can add its own connectors (Graph, PST,
 * Maildir) without touching MailFerry. Names are compared ignoring case.
 *
 * @param name the type's name in upper case, e.g. {@code IMAP}; never {@code null} or blank
 */
public record EndpointType(String name) {

    /** IMAP4rev1/IMAP4rev2 servers (RFC 3501, RFC 9051). */
    public static final EndpointType IMAP = new EndpointType("IMAP");
    /** On-premises Exchange through Exchange Web Services. */
    public static final EndpointType EXCHANGE = new EndpointType("EXCHANGE");

    /**
     * Normalises the name to upper case.
     *
     * @throws NullPointerException     if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public EndpointType {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("endpoint type must not be blank");
        }
        name = name.trim().toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }
}
