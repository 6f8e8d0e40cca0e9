package io.mailferry.ews.fake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the fake server does wrong, and how often. Rules apply to one operation (e.g.
 * {@code GetItem}) or to all ({@code *}) and are used up in order. Thread-safe.
 */
public final class Faults {

    /** What goes wrong with a whole request. */
    public enum Kind {
        /** Nothing goes wrong: lets the first requests of an operation through before other rules. */
        PASS,
        /** HTTP 500 SOAP fault {@code ErrorServerBusy} with {@code BackOffMilliseconds}. */
        SERVER_BUSY,
        /** HTTP 503 with an HTML body. */
        HTTP_503,
        /** HTTP 500 SOAP fault {@code ErrorExceededConnectionCount}. */
        EXCEEDED_CONNECTION_COUNT,
        /** The answer stops half way. */
        TRUNCATED,
        /** HTTP 200 with an HTML page instead of SOAP. */
        HTML,
        /** The answer comes late. */
        SLOW,
        /** SyncFolderItems answers {@code ErrorInvalidSyncStateData}. */
        INVALID_SYNC_STATE
    }

    record Rule(String operation, Kind kind, long millis, int[] left) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, String> itemErrors = new HashMap<>();
    private final Map<String, Integer> itemBusy = new HashMap<>();
    private final Map<Kind, Integer> injected = new HashMap<>();
    private long itemBusyBackOff = 10;

    /**
     * Adds a rule.
     *
     * @param operation an EWS operation name, or {@code *}
     * @param kind      what goes wrong
     * @param times     how many requests it hits
     * @param millis    back-off (SERVER_BUSY) or delay (SLOW) in milliseconds
     * @return this
     */
    public synchronized Faults add(String operation, Kind kind, int times, long millis) {
        rules.add(new Rule(operation, kind, millis, new int[] {times}));
        return this;
    }

    /** {@code times} ErrorServerBusy faults with the given back-off on an operation. */
    public Faults serverBusy(String operation, int times, Duration backOff) {
        return add(operation, Kind.SERVER_BUSY, times, backOff.toMillis());
    }

    /**
     * Makes GetItem/ExportItems answer an item with an error code, always.
     *
     * @param itemId the item
     * @param code   e.g. {@code ErrorMimeContentConversionFailed}
     * @return this
     */
    public synchronized Faults itemError(String itemId, String code) {
        itemErrors.put(itemId, code);
        return this;
    }

    /**
     * Makes GetItem answer an item with {@code ErrorServerBusy} inside an HTTP 200 answer, a number
     * of times.
     *
     * @param itemId the item
     * @param times  how often
     * @return this
     */
    public synchronized Faults itemBusy(String itemId, int times) {
        itemBusy.put(itemId, times);
        return this;
    }

    /** Removes every rule. */
    public synchronized void clear() {
        rules.clear();
        itemErrors.clear();
        itemBusy.clear();
    }

    /** Returns how many faults of a kind were injected. */
    public synchronized int injected(Kind kind) {
        return injected.getOrDefault(kind, 0);
    }

    synchronized Rule next(String operation) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.operation().equals("*") || r.operation().equals(operation)) {
                if (r.left()[0]-- <= 1) {
                    it.remove();
                }
                injected.merge(r.kind(), 1, Integer::sum);
                return r;
            }
        }
        return null;
    }

    synchronized String itemError(String itemId) {
        return itemErrors.get(itemId);
    }

    synchronized boolean itemBusyNow(String itemId) {
        Integer left = itemBusy.get(itemId);
        if (left == null || left <= 0) {
            return false;
        }
        itemBusy.put(itemId, left - 1);
        injected.merge(Kind.SERVER_BUSY, 1, Integer::sum);
        return true;
    }

    long itemBusyBackOff() {
        return itemBusyBackOff;
    }
}
