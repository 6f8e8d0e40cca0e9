package io.mailferry.ews.internal;

import java.time.Duration;

/** Waits; replaced in tests to record waits instead of making them. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    /**
     * @param duration how long
     * @throws InterruptedException if interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
}
