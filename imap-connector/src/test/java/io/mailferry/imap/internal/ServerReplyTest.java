package io.mailferry.imap.internal;

import io.mailferry.core.spi.ConnectorException.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerReplyTest {

    @Test
    void splitsStatusCodeAndText() {
        ServerReply r = ServerReply.parse("A12 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");
        assertThat(r.status()).isEqualTo("NO");
        assertThat(r.code()).isEqualTo("OVERQUOTA");
        assertThat(r.codeArgs()).isNull();
        assertThat(r.text()).isEqualTo("Quota exceeded (mailbox for user is full)");
        assertThat(r).hasToString("NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");

        ServerReply ok = ServerReply.parse("B3 OK [APPENDUID 38505 3955:3957] APPEND completed");
        assertThat(ok.code()).isEqualTo("APPENDUID");
        assertThat(ok.codeArgs()).isEqualTo("38505 3955:3957");

        ServerReply plain = ServerReply.parse("* BYE Logging out");
        assertThat(plain.status()).isEqualTo("BYE");
        assertThat(plain.code()).isNull();
        assertThat(plain.text()).isEqualTo("Logging out");

        assertThat(ServerReply.parse("garbage").text()).isEqualTo("garbage");
    }

    @Test
    void parsesAppendUidOfOneAndOfSeveralMessages() {
        long[] validity = {0};
        assertThat(ImapTargetMailbox.appendUids(ServerReply.parse("A1 OK [APPENDUID 38505 3955] APPEND completed"), validity))
                .containsExactly(3955L);
        assertThat(validity[0]).isEqualTo(38505L);
        assertThat(ImapTargetMailbox.appendUids(ServerReply.parse("A2 OK [APPENDUID 7 10:12,20] done"), validity))
                .containsExactly(10L, 11L, 12L, 20L);
        assertThat(validity[0]).isEqualTo(7L);
        long[] none = {0};
        assertThat(ImapTargetMailbox.appendUids(ServerReply.parse("A3 OK APPEND completed"), none)).isEmpty();
        assertThat(ImapTargetMailbox.appendUids(ServerReply.parse("A4 OK [APPENDUID x y] odd"), none)).isEmpty();
        assertThat(ImapTargetMailbox.appendUids(ServerReply.parse("A5 OK [APPENDUID 5] odd"), none)).isEmpty();
        assertThat(none[0]).isZero();
    }

    @Test
    void mapsRefusalsToKinds() {
        assertThat(ImapErrors.kindOf(ServerReply.parse("a NO [OVERQUOTA] Quota exceeded"))).isEqualTo(Kind.QUOTA);
        assertThat(ImapErrors.kindOf(ServerReply.parse("a NO Quota exceeded"))).isEqualTo(Kind.QUOTA);
        for (String s : List.of("a NO [UNAVAILABLE] Temporary failure", "a NO [LIMIT] Too many connections",
                "a NO [INUSE] Mailbox in use", "a NO Server busy, try again later",
                "* BYE Too many simultaneous connections", "a NO Request is throttled")) {
            assertThat(ImapErrors.kindOf(ServerReply.parse(s))).as(s).isEqualTo(Kind.THROTTLED);
        }
        assertThat(ImapErrors.kindOf(ServerReply.parse("a NO [NONEXISTENT] Mailbox doesn't exist"))).isEqualTo(Kind.FOLDER_NOT_FOUND);
        assertThat(ImapErrors.kindOf(ServerReply.parse("a NO [NOPERM] Permission denied"))).isEqualTo(Kind.REFUSED);
        assertThat(ImapErrors.kindOf(ServerReply.parse("a BAD Error in IMAP command"))).isEqualTo(Kind.REFUSED);
        assertThat(ImapErrors.kindOf(ServerReply.parse("* BYE Server shutting down"))).isEqualTo(Kind.PROTOCOL);
        assertThat(ImapErrors.refused("APPEND into 'x'", "h:1", ServerReply.parse("a NO [OVERQUOTA] full")))
                .hasMessage("APPEND into 'x' on h:1 failed: NO [OVERQUOTA] full")
                .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.QUOTA));
    }
}
