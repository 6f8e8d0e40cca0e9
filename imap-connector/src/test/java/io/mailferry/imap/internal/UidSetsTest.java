package io.mailferry.imap.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UidSetsTest {

    @Test
    void writesRunsAsRanges() {
        assertThat(UidSets.format(List.of(1L))).isEqualTo("1");
        assertThat(UidSets.format(List.of(3L, 1L, 2L, 5L, 7L, 8L, 8L))).isEqualTo("1:3,5,7:8");
        assertThat(UidSets.format(List.of(10L, 12L, 14L))).isEqualTo("10,12,14");
        assertThat(UidSets.format(List.of(4294967294L, 4294967295L))).isEqualTo("4294967294:4294967295");
    }

    @Test
    void splitsLongSetsWithoutBreakingRanges() {
        List<Long> uids = new ArrayList<>();
        for (long u = 1; u <= 2000; u += 2) {
            uids.add(u);
        }
        List<String> sets = UidSets.format(uids, 100);
        assertThat(sets).hasSizeGreaterThan(1).allMatch(s -> s.length() <= 100);
        List<Long> back = new ArrayList<>();
        sets.forEach(s -> back.addAll(UidSets.parse(s)));
        assertThat(back).containsExactlyElementsOf(uids);
        assertThat(UidSets.format(List.of(1L, 2L, 3L, 100000L), 3)).containsExactly("1:3", "100000");
    }

    @Test
    void rejectsBadUids() {
        assertThatThrownBy(() -> UidSets.format(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidSets.format(List.of(0L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidSets.format(List.of(4294967296L))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesInTheOrderWritten() {
        assertThat(UidSets.parse("4:6,9")).containsExactly(4L, 5L, 6L, 9L);
        assertThat(UidSets.parse("6:4")).containsExactly(6L, 5L, 4L);
        assertThat(UidSets.parse("7")).containsExactly(7L);
        for (String bad : new String[] {"", "1:*", "a", "1,,2", "0", "1:"}) {
            assertThatThrownBy(() -> UidSets.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> UidSets.parse("1:4000000")).isInstanceOf(IllegalArgumentException.class);
    }
}
