package io.mailferry.cli.internal;

/**
 * No OAuth access token could be had for a login: the token command failed (exit status, no
 * output, timeout) or no token source is configured. The message names the endpoint, the user and
 * the cause, never a token or the command's output. The IMAP connector turns it into an
 * authentication failure of that user.
 */
public final class OAuthTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OAuthTokenException(String message) {
        super(message);
    }
}
