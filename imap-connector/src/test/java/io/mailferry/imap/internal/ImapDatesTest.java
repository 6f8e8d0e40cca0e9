package io.mailferry.imap.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImapDatesTest {

    @Test
    void formatsInUtcWithRfc3501MonthNames() {
        assertThat(ImapDates.format(Instant.parse("1994-02-08T05:52:25Z"))).isEqualTo("08-Feb-1994 05:52:25 +0000");
        assertThat(ImapDates.format(Instant.parse("2021-09-30T23:59:59.999Z"))).isEqualTo("30-Sep-2021 23:59:59 +0000");
        assertThat(ImapDates.format(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo("01-Jan-1970 00:00:00 +0000");
    }

    @Test
    void parsesServerDatesWithOffsetsAndSpacePaddedDays() {
        assertThat(ImapDates.parse("07-Feb-1994 21:52:25 -0800")).isEqualTo(Instant.parse("1994-02-08T05:52:25Z"));
        assertThat(ImapDates.parse(" 7-Feb-1994 21:52:25 -0800")).isEqualTo(Instant.parse("1994-02-08T05:52:25Z"));
        assertThat(ImapDates.parse("7-feb-1994 21:52:25 +0130")).isEqualTo(Instant.parse("1994-02-07T20:22:25Z"));
        assertThatThrownBy(() -> ImapDates.parse("1994-02-07")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsToTheSecond() {
        Instant t = Instant.parse("2003-12-24T16:45:01Z");
        assertThat(ImapDates.parse(ImapDates.format(t))).isEqualTo(t);
    }
}
