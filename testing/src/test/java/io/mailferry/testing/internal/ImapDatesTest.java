package io.mailferry.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ImapDatesTest {

    @Test
    void formatsRfc3501DateTime() {
        assertThat(ImapDates.format(OffsetDateTime.of(2001, 5, 4, 6, 9, 0, 0, ZoneOffset.ofHours(-7))))
                .isEqualTo("04-May-2001 06:09:00 -0700");
        assertThat(ImapDates.format(OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHoursMinutes(5, 30))))
                .isEqualTo("31-Dec-1999 23:59:59 +0530");
    }

    @Test
    void readsTheEnronDateHeaderWithItsOffset() {
        byte[] msg = ("Message-ID: <1.JavaMail.evans@thyme>\r\nDate: Mon, 14 May 2001 16:39:00 -0700 (PDT)\r\n"
                + "Subject: x\r\n\r\nDate: not this one\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(ImapDates.dateHeader(msg))
                .contains(OffsetDateTime.of(2001, 5, 14, 16, 39, 0, 0, ZoneOffset.ofHours(-7)));
    }

    @Test
    void unfoldsAndParsesLenientlyAndIgnoresTheBody() {
        byte[] folded = "X: y\nDATE: 3 Jan 2005\n 10:00:00 +0100\n\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ImapDates.dateHeader(folded))
                .contains(OffsetDateTime.of(2005, 1, 3, 10, 0, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(ImapDates.dateHeader("Subject: x\r\n\r\nDate: Mon, 14 May 2001 16:39:00 -0700\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImapDates.dateHeader("Date: Malformed Date.\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ImapDates.dateHeader("Date: Thu, 1 Jan 1960 00:00:00 +0000\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }
}
