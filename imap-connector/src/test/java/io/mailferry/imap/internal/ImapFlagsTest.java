package io.mailferry.imap.internal;

import io.mailferry.core.spi.MessageFlags;
import jakarta.mail.Flags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImapFlagsTest {

    @Test
    void convertsAngusFlagsKeepingKeywordCaseAndDroppingRecent() {
        Flags f = new Flags();
        f.add(Flags.Flag.SEEN);
        f.add(Flags.Flag.RECENT);
        f.add(Flags.Flag.DRAFT);
        f.add("$Forwarded");
        f.add("NonJunk");
        assertThat(ImapFlags.fromAngus(f)).isEqualTo(MessageFlags.of("\\Seen", "\\Draft", "$Forwarded", "NonJunk"));
        assertThat(ImapFlags.fromAngus(new Flags())).isEqualTo(MessageFlags.NONE);
    }

    @Test
    void writesFlagListsAndDropsKeywordsTheFolderOrImapCannotTake() {
        List<String> dropped = new ArrayList<>();
        MessageFlags flags = MessageFlags.of("\\Seen", "\\Answered", "$Forwarded", "Junk", "bad keyword", "Gr\u00fcn", "x]y");
        String list = ImapFlags.flagList(flags, k -> !k.equals("Junk"), dropped);
        assertThat(list).isEqualTo("(\\Answered \\Seen $Forwarded)");
        assertThat(dropped).containsExactlyInAnyOrder("Junk", "bad keyword", "Gr\u00fcn", "x]y");
        assertThat(ImapFlags.flagList(MessageFlags.NONE, k -> true, dropped)).isEqualTo("()");
    }

    @Test
    void validKeywordsAreAtoms() {
        assertThat(ImapFlags.isValidKeyword("$MDNSent")).isTrue();
        assertThat(ImapFlags.isValidKeyword("Label_1.x-y")).isTrue();
        for (String bad : new String[] {"", "\\Seen", "a b", "a(b", "a{b", "a%", "a*", "a\"b", "a]", "\u00e9", "a\u0001"}) {
            assertThat(ImapFlags.isValidKeyword(bad)).as(bad).isFalse();
        }
    }
}
