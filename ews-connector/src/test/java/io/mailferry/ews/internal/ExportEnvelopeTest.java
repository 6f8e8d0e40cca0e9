package io.mailferry.ews.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ExportEnvelopeTest {

    @Test
    void aStreamTravelsAsAReadableMessageAndComesBackUnchanged() {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);

        byte[] wrapped = ExportEnvelope.wrap(data, "IPF.Appointment");
        String text = new String(wrapped, StandardCharsets.US_ASCII);

        assertThat(text).startsWith("X-MailFerry-Export: 1\r\n").contains("\r\n\r\n")
                .contains("Content-Transfer-Encoding: base64");
        assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(998));
        assertThat(ExportEnvelope.isEnvelope(wrapped)).isTrue();
        ExportEnvelope.Envelope back = ExportEnvelope.unwrap(wrapped).orElseThrow();
        assertThat(back.data()).isEqualTo(data);
        assertThat(back.folderClass()).isEqualTo("IPF.Appointment");
    }

    @Test
    void ordinaryMessagesAreNoEnvelopes() {
        byte[] mail = "From: a@example.org\r\nSubject: X-MailFerry-Export: 1\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(ExportEnvelope.isEnvelope(mail)).isFalse();
        assertThat(ExportEnvelope.unwrap(mail)).isEmpty();
        assertThat(ExportEnvelope.isEnvelope(new byte[3])).isFalse();
    }
}
