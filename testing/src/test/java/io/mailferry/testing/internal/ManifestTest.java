package io.mailferry.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static List<Manifest.Entry> read(String tsv) {
        return Manifest.read(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void readsTheEnronFormatWithTheRepositoryInTheHeader() {
        List<Manifest.Entry> e = read("corpus_path\trepo_path (o/r@abc)\tgit_blob_sha1\tbytes\tsha256\n"
                + "enron/u/inbox/1.\tmaildir/u/inbox/1\t5d90\t708\te4bd\n");
        assertThat(e).containsExactly(new Manifest.Entry("enron/u/inbox/1.", 708, "e4bd", "u", "",
                "o/r@abc:maildir/u/inbox/1", java.util.Set.of()));
    }

    @Test
    void readsTheNastyFormat() {
        List<Manifest.Entry> e = read("corpus_path\tsource\trepo\tcommit\trepo_path\tlicence\tbytes\tsha256\tflags\n"
                + "nasty/s/a.eml\ts\to/r\tc1\tt/a.txt\tMIT\t12\tff\tno-Date,mime-depth=3\n");
        assertThat(e.get(0).origin()).isEqualTo("o/r@c1:t/a.txt");
        assertThat(e.get(0).traits()).containsExactlyInAnyOrder("no-Date", "mime-depth=3");
        assertThat(e.get(0).licence()).isEqualTo("MIT");
    }

    @Test
    void rejectsMissingColumnsAndRaggedRows() {
        assertThatThrownBy(() -> read("corpus_path\tbytes\n")).hasMessageContaining("sha256");
        assertThatThrownBy(() -> read("corpus_path\tbytes\tsha256\na\t1\n")).hasMessageContaining("line 2");
    }
}
