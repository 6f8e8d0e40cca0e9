package io.mailferry.imap.internal;

import io.mailferry.core.spi.FolderInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FolderOrderTest {

    private static FolderInfo f(String name) {
        return new FolderInfo(name, '/', Set.of(), null, true);
    }

    @Test
    void inboxFirstThenParentsBeforeChildren() {
        List<FolderInfo> ordered = ImapSession.order(List.of(f("b/c"), f("a b"), f("b"), f("a/x"), f("INBOX/Sub"),
                f("a"), f("INBOX"), f("b")));
        assertThat(ordered).extracting(FolderInfo::name)
                .containsExactly("INBOX", "INBOX/Sub", "a", "a/x", "a b", "b", "b/c");
    }

    @Test
    void inboxNameIsNormalised() {
        assertThat(ImapSession.normaliseInbox("inbox", '/')).isEqualTo("INBOX");
        assertThat(ImapSession.normaliseInbox("Inbox.Sub", '.')).isEqualTo("INBOX.Sub");
        assertThat(ImapSession.normaliseInbox("Inboxes", '/')).isEqualTo("Inboxes");
        assertThat(ImapSession.normaliseInbox("Inbox/x", FolderInfo.NO_SEPARATOR)).isEqualTo("Inbox/x");
    }
}
