package io.mailferry.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ItemLimitTest {

    @ParameterizedTest
    @ValueSource(strings = {"Unlimited", "unlimited", "UNLIMITED", " Unlimited ", "2147483647"})
    void parseReadsUnlimited(String text) {
        assertThat(ItemLimit.parse(text)).isSameAs(ItemLimit.UNLIMITED);
        assertThat(ItemLimit.parse(text).isUnlimited()).isTrue();
    }

    @Test
    void parseReadsNumbers() {
        assertThat(ItemLimit.parse("0")).isEqualTo(ItemLimit.ZERO);
        assertThat(ItemLimit.parse(" 50 ").value()).isEqualTo(50);
        assertThat(ItemLimit.parse("2147483646").value()).isEqualTo(2147483646);
        assertThat(ItemLimit.parse("2147483646").isUnlimited()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "abc", "1.5", "2147483648", "10 items", "∞"})
    void parseRejectsAnythingElse(String text) {
        assertThatThrownBy(() -> ItemLimit.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseNamesTheBadTextAndTheAcceptedForms() {
        assertThatThrownBy(() -> ItemLimit.parse("lots")).hasMessageContaining("'lots'").hasMessageContaining("Unlimited");
    }

    @Test
    void exceededMeansMoreThanTheLimit() {
        assertThat(ItemLimit.ZERO.isExceededBy(0)).isFalse();
        assertThat(ItemLimit.ZERO.isExceededBy(1)).isTrue();
        assertThat(ItemLimit.of(3).isExceededBy(3)).isFalse();
        assertThat(ItemLimit.of(3).isExceededBy(4)).isTrue();
        assertThat(ItemLimit.UNLIMITED.isExceededBy(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void toStringIsWhatParseReads() {
        assertThat(ItemLimit.UNLIMITED).hasToString("Unlimited");
        assertThat(ItemLimit.of(7)).hasToString("7");
        assertThat(ItemLimit.parse(ItemLimit.of(7).toString())).isEqualTo(ItemLimit.of(7));
        assertThat(ItemLimit.of(Integer.MAX_VALUE)).isSameAs(ItemLimit.UNLIMITED);
    }

    @Test
    void negativeLimitsAreRejected() {
        assertThatThrownBy(() -> ItemLimit.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
