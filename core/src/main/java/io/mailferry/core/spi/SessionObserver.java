package io.mailferry.core.spi;

import java.time.Duration;

/**
 * Receives what a {@link MailboxSession} wants the engine to show while a call is in progress:
 * that it waits because the server throttles it (e.g. EWS {@code ErrorServerBusy} with
 * {@code BackOffMilliseconds}, HTTP 503, IMAP {@code [UNAVAILABLE]}), and when the wait is over.
 *
 * <p>Called on the thread that called into the session, from inside that call. Implementations are
 * quick and never throw. Both methods default to doing nothing.
 */
public interface SessionObserver {

    /** An observer that ignores everything. */
    SessionObserver NONE = new SessionObserver() {
    };

    /**
     * The session is about to wait before it retries a request the server turned away.
     *
     * @param reason what the server said, e.g. {@code ErrorServerBusy: back off 30000 ms}, without
     *               secrets; never {@code null}
     * @param wait   how long the session will wait, not negative
     */
    default void stalled(String reason, Duration wait) {
    }

    /**
     * The wait announced by the last {@link #stalled} call is over; the session retries.
     *
     * @param waited how long it waited, not negative
     */
    default void resumed(Duration waited) {
    }
}
