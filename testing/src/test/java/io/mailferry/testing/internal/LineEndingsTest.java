package io.mailferry.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineEndingsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareLfBecomesCrlfAndNothingElseChanges() {
        assertThat(LineEndings.bareLfToCrlf(b("\nA: b\r\n\r\nline\nbare\rcr\u0000\u00ff\n")))
                .isEqualTo(b("\r\nA: b\r\n\r\nline\r\nbare\rcr\u0000\u00ff\r\n"));
    }

    @Test
    void crlfInputIsReturnedAsIs() {
        byte[] in = b("A: b\r\n\r\nbody\r\n");
        assertThat(LineEndings.bareLfToCrlf(in)).isSameAs(in);
    }

    @Test
    void detectsBareCrAndNul() {
        assertThat(LineEndings.hasBareCr(b("a\r\nb"))).isFalse();
        assertThat(LineEndings.hasBareCr(b("a\rb"))).isTrue();
        assertThat(LineEndings.hasBareCr(b("a\r"))).isTrue();
        assertThat(LineEndings.hasNul(b("a\u0000"))).isTrue();
        assertThat(LineEndings.hasNul(b("a"))).isFalse();
    }
}
