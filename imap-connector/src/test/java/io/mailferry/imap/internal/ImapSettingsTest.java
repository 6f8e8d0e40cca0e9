package io.mailferry.imap.internal;

import io.mailferry.imap.ImapProperties;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImapSettingsTest {

    @Test
    void defaultsAndOverrides() {
        assertThat(ImapSettings.from(Map.of())).isEqualTo(ImapSettings.DEFAULTS);
        ImapSettings s = ImapSettings.from(Map.of(ImapProperties.FETCH_BATCH_BYTES, "1048576",
                ImapProperties.APPEND_BATCH_MESSAGES, " 20 ", ImapProperties.MULTIAPPEND, "false", "other.key", "x"));
        assertThat(s.fetchBatchBytes()).isEqualTo(1048576);
        assertThat(s.appendBatchMessages()).isEqualTo(20);
        assertThat(s.multiappend()).isFalse();
        assertThat(s.streamChunkBytes()).isEqualTo(ImapProperties.DEFAULT_STREAM_CHUNK_BYTES);
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> ImapSettings.from(Map.of(ImapProperties.FETCH_BATCH_BYTES, "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ImapProperties.FETCH_BATCH_BYTES);
        assertThatThrownBy(() -> ImapSettings.from(Map.of(ImapProperties.STREAM_CHUNK_BYTES, "10")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ImapProperties.STREAM_CHUNK_BYTES);
        assertThatThrownBy(() -> ImapSettings.from(Map.of(ImapProperties.MULTIAPPEND, "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ImapProperties.MULTIAPPEND);
    }
}
