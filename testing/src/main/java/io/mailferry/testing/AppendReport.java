package io.mailferry.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link ImapTestClient#append append} or {@link ImapTestClient#loadUser load} did.
 * Immutable.
 *
 * @param appended messages the server accepted
 * @param bytes their total size in bytes (as sent)
 * @param refusals messages the server refused, with its answer
 * @param elapsed wall time taken
 */
public record AppendReport(int appended, long bytes, List<Refusal> refusals, Duration elapsed) {

    /**
     * A message the server did not store.
     *
     * @param folder the target mailbox name
     * @param label the message's {@link RawMessage#label() label}
     * @param response the server's tagged response, e.g. {@code NO [LIMIT] Mail too large}
     */
    public record Refusal(String folder, String label, String response) {
        /** Validates. */
        public Refusal {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(response, "response");
        }
    }

    /** An empty report. */
    public static final AppendReport NONE = new AppendReport(0, 0, List.of(), Duration.ZERO);

    /** Validates and copies. */
    public AppendReport {
        refusals = List.copyOf(refusals);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * @param other another report
     * @return both added up
     */
    public AppendReport plus(AppendReport other) {
        List<Refusal> r = new ArrayList<>(refusals);
        r.addAll(other.refusals);
        return new AppendReport(appended + other.appended, bytes + other.bytes, r, elapsed.plus(other.elapsed));
    }

    /**
     * @return whether every message was stored
     */
    public boolean isComplete() {
        return refusals.isEmpty();
    }

    /**
     * @return messages per second over {@link #elapsed()}
     */
    public double messagesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s == 0 ? 0 : appended / s;
    }

    /** Returns counts, rate and every refusal. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%d messages (%,d bytes) appended in %.2f s (%.0f msg/s), %d refused",
                appended, bytes, elapsed.toNanos() / 1e9, messagesPerSecond(), refusals.size()));
        for (Refusal r : refusals) {
            b.append("\n  ").append(r.folder()).append(": ").append(r.label()).append(": ").append(r.response());
        }
        return b.toString();
    }
}
