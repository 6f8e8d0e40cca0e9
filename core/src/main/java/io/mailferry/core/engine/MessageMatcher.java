package io.mailferry.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs source messages with target messages that are copies of them, as multisets: each target
 * message is the copy of at most one source message, so two identical source messages need two
 * target copies to both count as copied.
 *
 * <p>Messages are compared by {@link MessageFingerprint}. Where the fingerprint alone is enough
 * to tell copies apart — one source and one target message with that fingerprint, and a
 * Message-ID — they are paired. Otherwise (no Message-ID, or several messages with the same
 * fingerprint on either side: a reused Message-ID, duplicates) the bodies decide: the SHA-256 of
 * the raw bytes of exactly those messages is computed on both sides, and messages pair up by equal
 * hashes, lowest UIDs first. A message whose body cannot be read is left unpaired (the source one
 * is then copied).
 */
final class MessageMatcher {

    /** Hashes the raw bytes of messages; leaves out those it cannot read. */
    @FunctionalInterface
    interface BodyHasher {
        /**
         * @param messages messages of one side
         * @return UID → SHA-256 (hexadecimal) of those it could read
         */
        Map<Long, String> hash(List<MessageFingerprint> messages);
    }

    /**
     * The pairs found.
     *
     * @param pairs        source UID → target UID, in ascending source UID order
     * @param bodiesHashed how many bodies (both sides) had to be hashed
     */
    record Result(Map<Long, Long> pairs, int bodiesHashed) {
    }

    private MessageMatcher() {
    }

    /**
     * @param sources      source messages not yet known to be copied
     * @param targets      target messages not yet known to be copies
     * @param sourceBodies hashes source bodies
     * @param targetBodies hashes target bodies
     * @return the pairs
     */
    static Result match(Collection<MessageFingerprint> sources, Collection<MessageFingerprint> targets,
                        BodyHasher sourceBodies, BodyHasher targetBodies) {
        Map<MessageFingerprint.Key, List<MessageFingerprint>> targetsByKey = new HashMap<>();
        for (MessageFingerprint t : sorted(targets)) {
            targetsByKey.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
        }
        Map<MessageFingerprint.Key, List<MessageFingerprint>> sourcesByKey = new LinkedHashMap<>();
        for (MessageFingerprint s : sorted(sources)) {
            if (targetsByKey.containsKey(s.key())) {
                sourcesByKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<Long, Long> pairs = new HashMap<>();
        List<MessageFingerprint> ambiguousSources = new ArrayList<>();
        List<MessageFingerprint> ambiguousTargets = new ArrayList<>();
        List<MessageFingerprint.Key> ambiguousKeys = new ArrayList<>();
        for (Map.Entry<MessageFingerprint.Key, List<MessageFingerprint>> e : sourcesByKey.entrySet()) {
            List<MessageFingerprint> s = e.getValue();
            List<MessageFingerprint> t = targetsByKey.get(e.getKey());
            if (s.size() == 1 && t.size() == 1 && s.get(0).hasMessageId()) {
                pairs.put(s.get(0).uid(), t.get(0).uid());
            } else {
                ambiguousKeys.add(e.getKey());
                ambiguousSources.addAll(s);
                ambiguousTargets.addAll(t);
            }
        }
        int hashed = 0;
        if (!ambiguousKeys.isEmpty()) {
            Map<Long, String> sourceHashes = sourceBodies.hash(ambiguousSources);
            Map<Long, String> targetHashes = targetBodies.hash(ambiguousTargets);
            hashed = sourceHashes.size() + targetHashes.size();
            for (MessageFingerprint.Key key : ambiguousKeys) {
                Map<String, Deque<Long>> sourcesByHash = new HashMap<>();
                for (MessageFingerprint s : sourcesByKey.get(key)) {
                    String h = sourceHashes.get(s.uid());
                    if (h != null) {
                        sourcesByHash.computeIfAbsent(h, k -> new ArrayDeque<>()).add(s.uid());
                    }
                }
                for (MessageFingerprint t : targetsByKey.get(key)) {
                    String h = targetHashes.get(t.uid());
                    Deque<Long> candidates = h == null ? null : sourcesByHash.get(h);
                    if (candidates != null && !candidates.isEmpty()) {
                        pairs.put(candidates.removeFirst(), t.uid());
                    }
                }
            }
        }
        Map<Long, Long> ordered = new LinkedHashMap<>();
        pairs.keySet().stream().sorted().forEach(uid -> ordered.put(uid, pairs.get(uid)));
        return new Result(ordered, hashed);
    }

    private static List<MessageFingerprint> sorted(Collection<MessageFingerprint> messages) {
        List<MessageFingerprint> out = new ArrayList<>(messages);
        out.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return out;
    }
}
