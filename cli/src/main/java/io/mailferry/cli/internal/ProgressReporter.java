package io.mailferry.cli.internal;

import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Prints a batch's progress while the command waits for it: a line rewritten in place on a
 * terminal, a new line every ten seconds otherwise (logs, CI).
 */
final class ProgressReporter {

    private final PrintWriter out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastItems = -1;
    private long lastPrinted;
    private long lastTickNanos = startNanos;
    private double rate;
    private boolean dirty;

    ProgressReporter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Called about once a second. */
    void tick(MigrationBatch batch) {
        MigrationBatchStatistics s = batch.statistics();
        long now = System.nanoTime();
        long items = s.syncedItemCount();
        if (lastItems >= 0) {
            double seconds = (now - lastTickNanos) / 1e9;
            if (seconds > 0) {
                double instant = (items - lastItems) / seconds;
                rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
            }
        }
        lastItems = items;
        lastTickNanos = now;
        String line = String.format("[%s] %-18s users %d/%d synced, %d failed, %d active | %,d items, %s, %,.0f msg/s, %s",
                batch.name(), batch.status().displayName(), s.syncedCount(), s.totalCount(), s.failedCount(),
                s.activeCount(), items, Format.bytes(s.bytesTransferred()), rate,
                Format.duration(Duration.ofNanos(now - startNanos)));
        if (terminal) {
            out.print("\r" + line + "   ");
            out.flush();
            dirty = true;
        } else if (now - lastPrinted >= 10_000_000_000L) {
            out.println(line);
            out.flush();
            lastPrinted = now;
        }
    }

    /** Ends the in-place line. */
    void finish() {
        if (dirty) {
            out.println();
            out.flush();
            dirty = false;
        }
    }
}
