package io.mailferry.ews.internal;

/**
 * A budget of heap bytes shared by all transfers: a transfer reserves its weight before the
 * library buffers the message and releases it afterwards; reservations wait while the budget is
 * spent. Thread-safe.
 */
public final class MemoryBudget {
    private final long capacity;
    private long used;

    /** @param capacity the budget in bytes, positive */
    public MemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Returns the budget in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Returns {@code true} if a reservation of {@code weight} bytes can ever be granted. */
    public boolean fits(long weight) {
        return weight <= capacity;
    }

    /**
     * Reserves bytes, waiting while others hold too much.
     *
     * @param weight bytes, at most {@link #capacity()}
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if the weight exceeds the capacity
     */
    public synchronized void acquire(long weight) throws InterruptedException {
        if (!fits(weight)) {
            throw new IllegalArgumentException("reservation of " + weight + " bytes exceeds the budget of " + capacity);
        }
        while (used + weight > capacity) {
            wait();
        }
        used += weight;
    }

    /** @param weight bytes reserved earlier */
    public synchronized void release(long weight) {
        used = Math.max(0, used - weight);
        notifyAll();
    }

    /** Returns the bytes reserved now. */
    public synchronized long used() {
        return used;
    }
}
