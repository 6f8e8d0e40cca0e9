package io.mailferry.ews.internal;

import io.mailferry.core.spi.MessageFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EwsFlagsTest {

    @Test
    void imapFlagsBecomeExchangeProperties() {
        EwsFlags.ItemFlags f = EwsFlags.fromImap(MessageFlags.of(MessageFlags.SEEN, MessageFlags.FLAGGED,
                MessageFlags.ANSWERED, "$Forwarded", MessageFlags.DELETED, "$MDNSent", "Projekt_A", "Rot"));

        assertThat(f.read()).isTrue();
        assertThat(f.flagStatus()).isEqualTo(2);
        assertThat(f.lastVerb()).isEqualTo(102);
        assertThat(f.iconIndex()).isEqualTo(261);
        assertThat(f.messageFlags()).isEqualTo(Props.MSGFLAG_READ);
        assertThat(f.draft()).isFalse();
        assertThat(f.categories()).containsExactly("Projekt_A", "Rot");
        assertThat(f.extras()).isEqualTo("\\Deleted $Forwarded $MDNSent");
    }

    @Test
    void aDraftIsUnsentAndAForwardAloneIsTheForwardVerb() {
        EwsFlags.ItemFlags f = EwsFlags.fromImap(MessageFlags.of(MessageFlags.DRAFT, "$Forwarded"));

        assertThat(f.draft()).isTrue();
        assertThat(f.messageFlags()).isEqualTo(Props.MSGFLAG_UNSENT);
        assertThat(f.lastVerb()).isEqualTo(104);
        assertThat(f.iconIndex()).isEqualTo(262);
        assertThat(f.extras()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\\Seen", "\\Flagged \\Answered", "$Forwarded Project_X", "\\Draft",
            "\\Seen \\Answered $Forwarded \\Deleted $Junk Kunde_Meyer"})
    void flagsSurviveTheRoundTrip(String flags) {
        MessageFlags imap = MessageFlags.of(flags.isEmpty() ? List.of() : List.of(flags.split(" ")));

        assertThat(EwsFlags.toImap(EwsFlags.fromImap(imap))).isEqualTo(imap);
    }

    @Test
    void exchangeStatesBecomeImapFlags() {
        assertThat(EwsFlags.toImap(new EwsFlags.ItemFlags(true, 1, 103, 1, List.of("Red category", "Privé"), null)))
                .as("complete is not flagged; reply-all is answered; categories become atoms")
                .isEqualTo(MessageFlags.of(MessageFlags.SEEN, MessageFlags.ANSWERED, "Red_category", "Priv_"));
        assertThat(EwsFlags.keyword("(Work) \"today\"")).isEqualTo("_Work___today_");
        assertThat(EwsFlags.keyword("   ")).isEmpty();
    }
}
