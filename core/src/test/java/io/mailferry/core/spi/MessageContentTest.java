package io.mailferry.core.spi;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class MessageContentTest {

    @Test
    void inMemoryContentCanBeReadMoreThanOnceAndKeepsItsOwnCopy() throws Exception {
        byte[] raw = "Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        MessageContent content = MessageContent.of(raw);
        raw[0] = 'X';

        assertThat(content.size()).isEqualTo(raw.length);
        for (int i = 0; i < 2; i++) {
            try (InputStream in = content.openStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Subject: x\r\n\r\nbody\r\n");
            }
        }
        assertThat(content.toString()).isEqualTo("MessageContent[20 bytes]");
    }

    @Test
    void nullBytesAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> MessageContent.of(null)).withMessage("raw");
    }
}
