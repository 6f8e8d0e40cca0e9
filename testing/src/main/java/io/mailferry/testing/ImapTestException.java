package io.mailferry.testing;

/**
 * An IMAP operation of {@link ImapTestClient} failed: the connection broke, or the server answered
 * {@code NO}/{@code BAD} where the test needs success. The message quotes the server's answer;
 * it never contains a password.
 */
public class ImapTestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the server's answer
     * @param cause the underlying exception, or {@code null}
     */
    public ImapTestException(String message, Throwable cause) {
        super(message, cause);
    }
}
