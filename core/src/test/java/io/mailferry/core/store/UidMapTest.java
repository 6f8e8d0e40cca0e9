package io.mailferry.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class UidMapTest {

    @Test
    void emptyMapHasNothingAndRoundTrips() {
        UidMap empty = UidMap.builder().build();

        assertThat(empty).isEqualTo(UidMap.EMPTY);
        assertThat(empty.size()).isZero();
        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.runCount()).isZero();
        assertThat(empty.highestSourceUid()).isZero();
        assertThat(empty.targetUid(1)).isEqualTo(-1);
        assertThat(empty.containsSource(1)).isFalse();
        assertThat(UidMap.decode(empty.encode())).isEqualTo(empty);
        assertThat(empty.encode()).hasSize(1);
    }

    @Test
    void consecutivePairsFormOneRunWhateverTheirNumber() {
        UidMap.Builder b = UidMap.builder();
        for (long s = 1; s <= 100_000; s++) {
            b.put(s, 500 + s);
        }
        UidMap map = b.build();

        assertThat(map.size()).isEqualTo(100_000);
        assertThat(map.runCount()).isEqualTo(1);
        assertThat(map.targetUid(1)).isEqualTo(501);
        assertThat(map.targetUid(100_000)).isEqualTo(100_500);
        assertThat(map.targetUid(100_001)).isEqualTo(-1);
        assertThat(map.highestSourceUid()).isEqualTo(100_000);
        assertThat(map.encode().length).isLessThan(16);
    }

    @Test
    void gapsOnEitherSideStartNewRunsAndLookupsInGapsFindNothing() {
        UidMap map = UidMap.builder()
                .put(1, 10).put(2, 11)
                .put(5, 12).put(6, 13)
                .put(7, 20)
                .build();

        assertThat(map.runCount()).isEqualTo(3);
        assertThat(map.size()).isEqualTo(5);
        assertThat(map.targetUid(3)).isEqualTo(-1);
        assertThat(map.targetUid(4)).isEqualTo(-1);
        assertThat(map.targetUid(5)).isEqualTo(12);
        assertThat(map.targetUid(7)).isEqualTo(20);
        assertThat(map.containsSource(6)).isTrue();
        assertThat(map.containsSource(0)).isFalse();
    }

    @Test
    void unknownTargetUidsAreMappedToZeroAndFormRunsToo() {
        UidMap map = UidMap.builder().put(3, 0).put(4, 0).put(5, 0).put(6, 40).put(7, 0).build();

        assertThat(map.runCount()).isEqualTo(3);
        assertThat(map.containsSource(4)).isTrue();
        assertThat(map.targetUid(4)).isZero();
        assertThat(map.targetUid(6)).isEqualTo(40);
        assertThat(map.targetUid(7)).isZero();
        assertThat(UidMap.decode(map.encode())).isEqualTo(map);
    }

    @Test
    void pairsOutOfOrderAreSortedAndALaterPairForTheSameSourceUidWins() {
        UidMap map = UidMap.builder().put(5, 50).put(3, 30).put(4, 31).put(5, 55).put(1, 10).build();

        List<long[]> pairs = new ArrayList<>();
        map.forEach((s, t) -> pairs.add(new long[] {s, t}));

        assertThat(pairs).extracting(p -> p[0]).containsExactly(1L, 3L, 4L, 5L);
        assertThat(map.targetUid(5)).isEqualTo(55);
        assertThat(map.targetUid(4)).isEqualTo(31);
        assertThat(map.size()).isEqualTo(4);
    }

    @Test
    void forEachInRangeVisitsOnlyTheRange() {
        UidMap map = UidMap.builder().put(1, 101).put(2, 102).put(3, 103).put(10, 0).put(11, 0).put(20, 200).build();
        Map<Long, Long> seen = new TreeMap<>();

        map.forEachInRange(2, 10, seen::put);

        assertThat(seen).containsExactly(Map.entry(2L, 102L), Map.entry(3L, 103L), Map.entry(10L, 0L));
    }

    @Test
    void toBuilderKeepsThePairsAndExtendsTheLastRun() {
        UidMap first = UidMap.builder().put(1, 11).put(2, 12).build();

        UidMap second = first.toBuilder().put(3, 13).put(4, 14).build();

        assertThat(first.size()).isEqualTo(2);
        assertThat(second.size()).isEqualTo(4);
        assertThat(second.runCount()).isEqualTo(1);
        assertThat(UidMap.builder().putAll(first).put(3, 13).put(4, 14).build()).isEqualTo(second);
    }

    @Test
    void invalidPairsAreRejected() {
        assertThatThrownBy(() -> UidMap.builder().put(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidMap.builder().put(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeDecodeRoundTripsLargeUids() {
        UidMap map = UidMap.builder().put(4_294_967_295L, 1).put(4_294_967_296L, 2).put(7, 4_000_000_000L).build();

        UidMap decoded = UidMap.decode(map.encode());

        assertThat(decoded).isEqualTo(map);
        assertThat(decoded.targetUid(4_294_967_296L)).isEqualTo(2);
        assertThat(decoded.targetUid(7)).isEqualTo(4_000_000_000L);
    }

    /** Builds random maps (ascending with gaps, or shuffled) and checks them against a TreeMap. */
    @Test
    void behavesLikeASortedMapForSeededRandomPairs() {
        Random random = new Random(20240611L);
        for (int round = 0; round < 300; round++) {
            TreeMap<Long, Long> model = new TreeMap<>();
            UidMap.Builder b = UidMap.builder();
            int n = random.nextInt(200);
            boolean shuffled = random.nextInt(3) == 0;
            long source = 1 + random.nextInt(5);
            long target = 1 + random.nextInt(1000);
            for (int i = 0; i < n; i++) {
                long s = shuffled ? 1 + random.nextInt(300) : source;
                long t = random.nextInt(10) == 0 ? 0 : (random.nextInt(5) == 0 ? 1 + random.nextInt(100_000) : target);
                b.put(s, t);
                model.put(s, t);
                source += random.nextInt(4) == 0 ? 1 + random.nextInt(50) : 1;
                target = t == 0 ? target : t + 1;
            }
            UidMap map = b.build();

            assertMatches(map, model, round);
            UidMap decoded = UidMap.decode(map.encode());
            assertThat(decoded).as("round %d", round).isEqualTo(map);
            assertMatches(decoded, model, round);
        }
    }

    private static void assertMatches(UidMap map, TreeMap<Long, Long> model, int round) {
        assertThat(map.size()).as("size, round %d", round).isEqualTo(model.size());
        assertThat(map.highestSourceUid()).isEqualTo(model.isEmpty() ? 0 : model.lastKey());
        long max = model.isEmpty() ? 10 : model.lastKey() + 2;
        List<String> wrong = new ArrayList<>();
        for (long s = 0; s <= max; s++) {
            long expected = model.containsKey(s) ? model.get(s) : -1;
            if (map.targetUid(s) != expected || map.containsSource(s) != (expected >= 0)) {
                wrong.add("targetUid(" + s + ")=" + map.targetUid(s) + ", expected " + expected);
            }
        }
        assertThat(wrong).as("round %d", round).isEmpty();
        TreeMap<Long, Long> iterated = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        map.forEach((s, t) -> {
            iterated.put(s, t);
            order.add(s);
        });
        assertThat(iterated).isEqualTo(model);
        assertThat(order).isSorted().doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ corrupt input

    private static byte[] varints(long... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : values) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
        return out.toByteArray();
    }

    @Test
    void decodeOfAValidHandWrittenEncodingWorks() {
        // 2 runs: source 1..3 -> 11..13, then gap 2: source 6..6 -> target delta 0 -> 14
        UidMap map = UidMap.decode(varints(2, 1, 22, 3, 2, 0, 1));

        assertThat(map.targetUid(2)).isEqualTo(12);
        assertThat(map.targetUid(6)).isEqualTo(14);
        assertThat(map.size()).isEqualTo(4);
    }

    @Test
    void decodeRejectsTruncatedInput() {
        byte[] good = UidMap.builder().put(1, 10).put(5, 50).build().encode();
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> UidMap.decode(cut)).as("first %d bytes", len)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("corrupt UID map");
        }
    }

    @Test
    void decodeRejectsTrailingBytes() {
        byte[] good = UidMap.builder().put(1, 10).build().encode();
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> UidMap.decode(longer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"emptyRun", "sourceZero", "negativeTarget", "tooManyRuns", "varintTooLong",
            "negativeCount", "gapGoingBackwards", "runOverflowingSourceUids"})
    void decodeRejectsCorruptRuns(String corruption) {
        byte[] bytes = switch (corruption) {
            case "emptyRun" -> varints(1, 1, 2, 0);
            case "sourceZero" -> varints(1, 0, 2, 1);
            case "negativeTarget" -> varints(1, 1, 3, 1);
            case "tooManyRuns" -> varints(50, 1, 2, 1);
            case "varintTooLong" -> new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                    (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
            case "negativeCount" -> varints(-1L);
            // run 1: source 10..14; run 2: gap of -3 (as a 64-bit varint) would start at 12, inside run 1
            case "gapGoingBackwards" -> varints(2, 10, 0, 5, -3L, 0, 1);
            // run 1: source 1..Long.MAX_VALUE-ish; run 2 starts past Long.MAX_VALUE
            case "runOverflowingSourceUids" -> varints(2, 1, 0, Long.MAX_VALUE - 1, 5, 0, 1);
            default -> throw new IllegalArgumentException(corruption);
        };

        assertThatThrownBy(() -> UidMap.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt UID map");
    }

    @Test
    void decodeOfRandomBytesEitherWorksOrFailsWithIllegalArgumentException() {
        Random random = new Random(7L);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            Throwable t = catchThrowable(() -> {
                UidMap map = UidMap.decode(bytes);
                long[] previous = {0};
                map.forEachInRange(1, 1000, (s, x) -> {
                    if (s <= previous[0]) {
                        throw new AssertionError("decoded runs out of order: " + s + " after " + previous[0]);
                    }
                    previous[0] = s;
                });
            });
            if (t != null && !(t instanceof IllegalArgumentException)) {
                throw new AssertionError("bytes " + java.util.HexFormat.of().formatHex(bytes), t);
            }
        }
    }

    @Test
    void toStringShowsSizeNotContent() {
        assertThat(UidMap.builder().put(1, 2).put(2, 3).build()).hasToString("UidMap[size=2, runs=1]");
    }
}
