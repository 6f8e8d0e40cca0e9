package io.mailferry.core.engine;

import io.mailferry.core.spi.MessageHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessageMatcherTest {

    private static MessageFingerprint fp(long uid, String messageId, String subject) {
        String headers = (messageId == null ? "" : "Message-ID: " + messageId + "\r\n") + "Subject: " + subject + "\r\n";
        return MessageFingerprint.of(new MessageHeaders(uid, 100, headers.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A body hasher over a UID → body table that records what it was asked for. */
    private static final class Bodies implements MessageMatcher.BodyHasher {
        final Map<Long, String> bodies = new HashMap<>();
        final List<Long> asked = new ArrayList<>();

        Bodies put(long uid, String body) {
            bodies.put(uid, body);
            return this;
        }

        @Override
        public Map<Long, String> hash(List<MessageFingerprint> messages) {
            Map<Long, String> out = new HashMap<>();
            for (MessageFingerprint m : messages) {
                asked.add(m.uid());
                if (bodies.containsKey(m.uid())) {
                    out.put(m.uid(), "sha-of-" + bodies.get(m.uid()));
                }
            }
            return out;
        }
    }

    @Test
    void uniqueMessagesWithAMessageIdShouldPairByHeadersAloneWithoutReadingBodies() {
        Bodies source = new Bodies();
        Bodies target = new Bodies();
        MessageMatcher.Result r = MessageMatcher.match(
                List.of(fp(1, "<a@x>", "a"), fp(2, "<b@x>", "b"), fp(3, "<c@x>", "c")),
                List.of(fp(10, "<c@x>", "c"), fp(11, "<a@x>", "a"), fp(12, "<z@x>", "z")), source, target);
        assertThat(r.pairs()).containsExactly(Map.entry(1L, 11L), Map.entry(3L, 10L));
        assertThat(r.bodiesHashed()).isZero();
        assertThat(source.asked).isEmpty();
        assertThat(target.asked).isEmpty();
    }

    @Test
    void duplicatesShouldPairAsAMultiset() {
        Bodies source = new Bodies().put(1, "same").put(2, "same").put(3, "same");
        Bodies target = new Bodies().put(20, "same").put(21, "same");
        MessageMatcher.Result r = MessageMatcher.match(
                List.of(fp(1, "<d@x>", "d"), fp(2, "<d@x>", "d"), fp(3, "<d@x>", "d")),
                List.of(fp(21, "<d@x>", "d"), fp(20, "<d@x>", "d")), source, target);
        assertThat(r.pairs()).containsExactly(Map.entry(1L, 20L), Map.entry(2L, 21L));
        assertThat(r.bodiesHashed()).isEqualTo(5);
    }

    @Test
    void differentMessagesSharingAMessageIdShouldBeToldApartByTheirBodies() {
        Bodies source = new Bodies().put(1, "first").put(2, "second").put(3, "unrelated");
        Bodies target = new Bodies().put(30, "second").put(31, "unrelated");
        MessageMatcher.Result r = MessageMatcher.match(
                List.of(fp(1, "<reused@x>", "r"), fp(2, "<reused@x>", "r"), fp(3, "<u@x>", "u")),
                List.of(fp(30, "<reused@x>", "r"), fp(31, "<u@x>", "u")), source, target);
        assertThat(r.pairs()).containsExactly(Map.entry(2L, 30L), Map.entry(3L, 31L));
        assertThat(source.asked).containsExactlyInAnyOrder(1L, 2L);
        assertThat(target.asked).containsExactly(30L);
    }

    @Test
    void messagesWithoutMessageIdShouldPairOnlyOnEqualBodies() {
        Bodies source = new Bodies().put(1, "one").put(2, "two");
        Bodies target = new Bodies().put(40, "two").put(41, "three");
        MessageMatcher.Result r = MessageMatcher.match(List.of(fp(1, null, "n"), fp(2, null, "n")),
                List.of(fp(40, null, "n"), fp(41, null, "n")), source, target);
        assertThat(r.pairs()).containsExactly(Map.entry(2L, 40L));

        // One on each side is not enough without a Message-ID: the bodies are compared.
        Bodies lonelySource = new Bodies().put(5, "five");
        Bodies lonelyTarget = new Bodies().put(50, "not five");
        assertThat(MessageMatcher.match(List.of(fp(5, null, "n")), List.of(fp(50, null, "n")), lonelySource, lonelyTarget)
                .pairs()).isEmpty();
    }

    @Test
    void aBodyThatCannotBeReadShouldLeaveItsMessageUnpaired() {
        Bodies source = new Bodies().put(1, "same");
        Bodies target = new Bodies(); // unreadable
        assertThat(MessageMatcher.match(List.of(fp(1, null, "n"), fp(2, null, "n")), List.of(fp(60, null, "n")),
                source, target).pairs()).isEmpty();
    }
}
