package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testing.MailboxSnapshot.Folder;
import io.mailferry.testing.MailboxSnapshot.Message;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotComparisonTest {

    private static final Instant T = Instant.parse("2001-05-14T23:39:00Z");
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    private static Message m(long uid, String sha, String... flags) {
        return new Message(uid, sha, 100, Set.of(flags), T);
    }

    private static MailboxSnapshot snap(char sep, Folder... folders) {
        return new MailboxSnapshot(sep, List.of(folders));
    }

    @Test
    void sameContentUnderTheOtherSeparatorIsIdentical() {
        MailboxSnapshot src = snap('/', new Folder("INBOX", true, List.of(m(1, A, "\\Seen"), m(2, A))),
                new Folder("a", false, List.of()), new Folder("a/b", true, List.of(m(7, B))),
                new Folder("empty", true, List.of()));
        MailboxSnapshot dst = snap('.', new Folder("INBOX", true, List.of(m(4, A), m(9, A, "\\Seen"))),
                new Folder("a.b", true, List.of(m(1, B))), new Folder("empty", true, List.of()),
                new Folder("Trash", true, List.of()));
        SnapshotComparison c = MailboxSnapshot.compare(src, dst);
        assertThat(c.isIdentical()).as(c.toString()).isTrue();
        assertThat(c.extraEmptyFolders()).containsExactly("Trash");
        assertThat(c.comparedFolders()).isEqualTo(3);
        assertThat(c.toString()).startsWith("identical: 3 source messages, 3 target messages, 3 folders compared");
    }

    @Test
    void reportsMissingDuplicatedUnexpectedFlagsAndDates() {
        MailboxSnapshot src = snap('/', new Folder("INBOX", true,
                List.of(m(1, A, "\\Seen"), m(2, B), m(3, B), m(4, C, "$Forwarded"))));
        MailboxSnapshot dst = snap('/', new Folder("INBOX", true, List.of(
                m(1, A, "\\Seen"), m(2, A, "\\Seen"), // A duplicated
                m(3, B), // one B missing
                new Message(4, C, 100, Set.of("\\Flagged"), T.plusSeconds(3600)), // flags and date differ
                m(5, "d".repeat(64))))); // unexpected
        SnapshotComparison c = MailboxSnapshot.compare(src, dst);
        assertThat(c.isIdentical()).isFalse();
        SnapshotComparison.FolderDifference d = c.folder("INBOX");
        assertThat(d.missing()).extracting(Message::sha256).containsExactly(B);
        assertThat(d.duplicated()).extracting(Message::sha256).containsExactly(A);
        assertThat(d.unexpected()).extracting(Message::uid).containsExactly(5L);
        assertThat(d.flagMismatches()).singleElement().satisfies(f -> {
            assertThat(f.expected()).containsExactly("$Forwarded");
            assertThat(f.actual()).containsExactly("\\Flagged");
        });
        assertThat(d.dateMismatches()).singleElement().satisfies(f -> assertThat(f.actual()).isEqualTo(T.plusSeconds(3600)));
        assertThat(c.toString()).contains("DIFFERENT", "1 missing, 1 duplicated, 1 unexpected, 1 flag mismatches, 1 date mismatches",
                "expected [$Forwarded] but was [\\Flagged]");
    }

    @Test
    void pairsCopiesByFlagsBeforeReportingMismatches() {
        MailboxSnapshot src = snap('/', new Folder("INBOX", true, List.of(m(1, A), m(2, A, "\\Seen"))));
        MailboxSnapshot dst = snap('/', new Folder("INBOX", true, List.of(m(1, A, "\\Seen"), m(2, A, "\\Flagged"))));
        SnapshotComparison.FolderDifference d = MailboxSnapshot.compare(src, dst).folder("INBOX");
        assertThat(d.flagMismatches()).singleElement().satisfies(f -> {
            assertThat(f.expected()).isEmpty();
            assertThat(f.actual()).containsExactly("\\Flagged");
        });
        assertThat(d.missing()).isEmpty();
        assertThat(d.duplicated()).isEmpty();
    }

    @Test
    void missingFolderAndUnexpectedFolderWithMessagesAreDifferences() {
        MailboxSnapshot src = snap('/', new Folder("INBOX", true, List.of()), new Folder("Old", true, List.of(m(1, A))),
                new Folder("Empty", true, List.of()));
        MailboxSnapshot dst = snap('/', new Folder("INBOX", true, List.of()), new Folder("New", true, List.of(m(1, A))));
        SnapshotComparison c = MailboxSnapshot.compare(src, dst);
        assertThat(c.isIdentical()).isFalse();
        assertThat(c.missingFolders()).containsExactly("Empty → Empty", "Old → Old");
        assertThat(c.unexpectedFolders()).containsExactly("New");
        assertThat(c.folder("Old").missing()).hasSize(1);
        assertThat(c.folder("New").unexpected()).hasSize(1);
    }

    @Test
    void customFolderMapping() {
        MailboxSnapshot src = snap('/', new Folder("Sent Items", true, List.of(m(1, A))));
        MailboxSnapshot dst = snap('/', new Folder("Sent", true, List.of(m(1, A))));
        assertThat(MailboxSnapshot.compare(src, dst).isIdentical()).isFalse();
        assertThat(MailboxSnapshot.compare(src, dst, n -> n.equals("Sent Items") ? "Sent" : n).isIdentical()).isTrue();
    }
}
