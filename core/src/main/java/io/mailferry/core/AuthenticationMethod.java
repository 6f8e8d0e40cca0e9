package io.mailferry.core;

/**
 * How a connector authenticates to an endpoint.
 */
public enum AuthenticationMethod {
    /**
     * SASL PLAIN (RFC 4616) when the server offers it, otherwise the protocol's plain login
     * command. The default.
     */
    AUTO,
    /** The protocol's login command (IMAP {@code LOGIN}, RFC 3501 section 6.2.3). */
    LOGIN,
    /**
     * SASL PLAIN (RFC 4616) through {@code AUTHENTICATE PLAIN}; the only method that carries an
     * authorization identity, see {@link Impersonation.Mode#SASL_AUTHORIZATION_ID}.
     */
    PLAIN
}
