package io.mailferry.core.spi;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageFlagsTest {

    @Test
    void systemFlagsAreNormalisedToTheirRfcSpellingWhateverTheCase() {
        MessageFlags flags = MessageFlags.of("\\seen", "\\ANSWERED", "\\fLaGgEd", "\\deleted", "\\DRAFT");

        assertThat(flags.flags()).containsExactlyInAnyOrder(MessageFlags.SEEN, MessageFlags.ANSWERED,
                MessageFlags.FLAGGED, MessageFlags.DELETED, MessageFlags.DRAFT);
        assertThat(flags).isEqualTo(MessageFlags.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"));
    }

    @Test
    void keywordsKeepTheCaseTheyWereGivenIn() {
        MessageFlags flags = MessageFlags.of("$Forwarded", "NonJunk", "$label1");

        assertThat(flags.keywords()).containsExactly("$Forwarded", "$label1", "NonJunk");
        assertThat(flags.systemFlags()).isEmpty();
    }

    @Test
    void recentIsDroppedInAnyCaseBecauseItIsSessionState() {
        assertThat(MessageFlags.of("\\Recent", "\\Seen").flags()).containsExactly(MessageFlags.SEEN);
        assertThat(MessageFlags.of("\\RECENT").isEmpty()).isTrue();
        assertThat(new MessageFlags(Set.of("\\recent", "$Junk")).flags()).containsExactly("$Junk");
        assertThat(MessageFlags.of("\\Recent")).isEqualTo(MessageFlags.NONE);
    }

    @Test
    void blanksAreTrimmedAndEmptyNamesDropped() {
        assertThat(MessageFlags.of(" \\Seen ", "", "  ", "$A\t").flags()).containsExactly("$A", MessageFlags.SEEN);
    }

    @Test
    void unknownBackslashFlagsAreKeptAsGiven() {
        assertThat(MessageFlags.of("\\Junk").flags()).containsExactly("\\Junk");
        assertThat(MessageFlags.of("\\Junk").keywords()).containsExactly("\\Junk");
    }

    @Test
    void flagsAreSortedAndToStringIsAnImapFlagListBody() {
        MessageFlags flags = MessageFlags.of("\\Seen", "$Forwarded", "\\Answered");

        assertThat(flags.flags()).containsExactly("$Forwarded", "\\Answered", "\\Seen");
        assertThat(flags).hasToString("$Forwarded \\Answered \\Seen");
        assertThat(MessageFlags.NONE).hasToString("");
    }

    @Test
    void containsComparesSystemFlagsIgnoringCase() {
        MessageFlags flags = MessageFlags.of("\\Seen", "$Label");

        assertThat(flags.contains("\\SEEN")).isTrue();
        assertThat(flags.contains("\\seen")).isTrue();
        assertThat(flags.contains("$Label")).isTrue();
        assertThat(flags.contains("\\Flagged")).isFalse();
        assertThat(flags.contains("\\Recent")).isFalse();
    }

    @Test
    void systemFlagsAndKeywordsSplitTheSet() {
        MessageFlags flags = MessageFlags.of("\\Seen", "\\Draft", "$Forwarded", "Work");

        assertThat(flags.systemFlags()).containsExactly(MessageFlags.DRAFT, MessageFlags.SEEN);
        assertThat(flags.keywords()).containsExactly("$Forwarded", "Work");
        Set<String> union = new HashSet<>(flags.systemFlags());
        union.addAll(flags.keywords());
        assertThat(union).isEqualTo(flags.flags());
    }

    @Test
    void minusReturnsTheFlagsSetHereButNotThere() {
        MessageFlags source = MessageFlags.of("\\Seen", "\\Flagged", "$A");
        MessageFlags target = MessageFlags.of("\\seen", "$B");

        assertThat(source.minus(target)).isEqualTo(MessageFlags.of("\\Flagged", "$A"));
        assertThat(target.minus(source)).isEqualTo(MessageFlags.of("$B"));
        assertThat(source.minus(source)).isEqualTo(MessageFlags.NONE);
        assertThat(source.minus(MessageFlags.NONE)).isEqualTo(source);
    }

    @Test
    void theSetIsAnUnmodifiableCopy() {
        Set<String> given = new HashSet<>(List.of("\\Seen"));
        MessageFlags flags = new MessageFlags(given);
        given.add("$Later");

        assertThat(flags.flags()).containsExactly(MessageFlags.SEEN);
        assertThatThrownBy(() -> flags.flags().add("$X")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> new MessageFlags(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MessageFlags.of(Arrays.asList("\\Seen", null))).isInstanceOf(NullPointerException.class);
    }
}
