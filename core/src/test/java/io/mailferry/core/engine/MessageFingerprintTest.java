package io.mailferry.core.engine;

import io.mailferry.core.spi.MessageHeaders;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFingerprintTest {

    private static MessageFingerprint of(String headers, long size) {
        return MessageFingerprint.of(new MessageHeaders(1, size, headers.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void reformattedHeadersOfOneMessageShouldHaveOneFingerprint() {
        MessageFingerprint a = of("Message-ID: <a@example.org>\r\nDate: Tue, 1 Jan 2002 10:00:00 +0100\r\n"
                + "From: Terry Adams <Terry@Example.org>\r\nSubject: Quarterly  numbers\r\n\r\n", 1000);
        MessageFingerprint folded = of("Subject: Quarterly\r\n numbers\r\nFrom: terry adams\r\n\t<terry@example.org>\r\n"
                + "Date:   Tue, 01 Jan 2002 10:00:00 +0100 (CET)\r\nMessage-ID:<a@example.org>\r\n", 1000);
        MessageFingerprint otherZone = of("Message-ID: <a@example.org>\r\nDate: Tue, 1 Jan 2002 09:00:00 +0000\r\n"
                + "From: Terry Adams <Terry@Example.org>\r\nSubject: Quarterly numbers\r\n", 1000);
        assertThat(folded.key()).isEqualTo(a.key());
        assertThat(otherZone.key()).as("the same instant").isEqualTo(a.key());
        assertThat(a.hasMessageId()).isTrue();
    }

    @Test
    void anyDifferenceInAFieldOrTheSizeShouldChangeTheFingerprint() {
        String base = "Message-ID: <a@example.org>\r\nDate: Tue, 1 Jan 2002 10:00:00 +0100\r\nFrom: t@example.org\r\n"
                + "Subject: s\r\n";
        MessageFingerprint a = of(base, 1000);
        assertThat(of(base, 1001).key()).isNotEqualTo(a.key());
        assertThat(of(base.replace("<a@", "<b@"), 1000).key()).isNotEqualTo(a.key());
        assertThat(of(base.replace("Subject: s", "Subject: t"), 1000).key()).isNotEqualTo(a.key());
        assertThat(of(base.replace("10:00:00", "10:00:01"), 1000).key()).isNotEqualTo(a.key());
        assertThat(of(base.replace("t@example", "u@example"), 1000).key()).isNotEqualTo(a.key());
        assertThat(of(base + "Message-ID: <second@example.org>\r\n", 1000).key()).as("a second Message-ID")
                .isNotEqualTo(a.key());
    }

    @Test
    void aMessageWithoutMessageIdOrAnyFieldShouldStillHaveAFingerprint() throws IOException {
        byte[] raw = "This is a simple message not having headers.\r\nThe whole text should be recognized as body.\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        MessageHeaders h = MessageHeaders.extract(3, raw.length, new ByteArrayInputStream(raw), MessageFingerprint.FIELDS);
        MessageFingerprint f = MessageFingerprint.of(h);
        assertThat(f.hasMessageId()).isFalse();
        assertThat(f.uid()).isEqualTo(3);
        assertThat(f.key()).isEqualTo(of("", raw.length).key());
        assertThat(of("Message-ID:   \r\n", raw.length).hasMessageId()).isFalse();
    }

    @Test
    void eightBitHeadersShouldBeComparedByteForByte() {
        MessageFingerprint latin = of("Subject: Gr\u00fc\u00dfe\r\n", 10);
        MessageFingerprint other = of("Subject: Gr\u00fc\u00dfE\r\n", 10);
        assertThat(latin.key()).isNotEqualTo(other.key());
        assertThat(of("Subject: Gr\u00fc\u00dfe\r\n", 10).key()).isEqualTo(latin.key());
    }
}
