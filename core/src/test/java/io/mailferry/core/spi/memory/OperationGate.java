package io.mailferry.core.spi.memory;

import java.time.Duration;

/**
 * A gate that holds connector operations of an {@link InMemoryMailServer} until a test opens it,
 * so that tests can observe concurrency deterministically: close the gate, start work, wait until
 * {@code n} operations are {@linkplain #awaitWaiting(int, Duration) waiting} at it, look at the
 * server's instrumentation, then {@link #open()} it.
 *
 * <p>Thread-safe.
 */
public final class OperationGate {

    private boolean open;
    private long freePasses;
    private int waiting;
    private long passed;

    private OperationGate(boolean open) {
        this.open = open;
    }

    /** Returns a gate that holds every operation until {@link #open()}. */
    public static OperationGate closed() {
        return new OperationGate(false);
    }

    /**
     * Returns a gate that lets the next {@code operations} operations through, then holds the
     * others until {@link #open()}: a way to stop work deterministically part-way.
     *
     * @param operations how many operations pass before the gate closes, 0 or more
     * @return the gate
     */
    public static OperationGate closedAfter(long operations) {
        if (operations < 0) {
            throw new IllegalArgumentException("operations must be 0 or more");
        }
        OperationGate g = new OperationGate(false);
        g.freePasses = operations;
        return g;
    }

    /** Returns a gate that lets operations through until {@link #close()}. */
    public static OperationGate opened() {
        return new OperationGate(true);
    }

    /** Lets every waiting and every later operation through. */
    public synchronized void open() {
        open = true;
        notifyAll();
    }

    /** Holds later operations until {@link #open()}. */
    public synchronized void close() {
        open = false;
        freePasses = 0;
    }

    /** Returns how many operations are waiting at the gate now. */
    public synchronized int waiting() {
        return waiting;
    }

    /** Returns how many operations went through the gate so far. */
    public synchronized long passed() {
        return passed;
    }

    /**
     * Waits until at least {@code n} operations wait at the gate.
     *
     * @param n       the number of waiting operations to wait for
     * @param timeout how long to wait at most
     * @return {@code true} if that many are waiting, {@code false} if the timeout passed first
     * @throws InterruptedException if interrupted
     */
    public synchronized boolean awaitWaiting(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiting < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Called by the server before an operation: blocks while the gate is closed. */
    synchronized void pass() throws InterruptedException {
        if (!open && freePasses > 0) {
            freePasses--;
            passed++;
            return;
        }
        waiting++;
        notifyAll();
        try {
            while (!open) {
                wait();
            }
            passed++;
        } finally {
            waiting--;
            notifyAll();
        }
    }
}
