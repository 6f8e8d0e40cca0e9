package io.mailferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    private final Corpus bundled = Corpus.bundled();

    @Test
    void bundledEnronSampleHasThreeUsersWithTheirFolderTrees() {
        assertThat(bundled.enronUsers()).extracting(CorpusUser::name)
                .containsExactly("badeer-r", "beck-s", "germany-c");
        CorpusUser badeer = bundled.enronUser("badeer-r").orElseThrow();
        assertThat(badeer.messageCount()).isEqualTo(877);
        assertThat(badeer.folders()).hasSize(16);
        assertThat(bundled.enronUser("beck-s").orElseThrow().messageCount()).isEqualTo(135);
        CorpusUser germany = bundled.enronUser("germany-c").orElseThrow();
        assertThat(germany.messageCount()).isEqualTo(84);
        assertThat(germany.folders()).extracting(CorpusFolder::path)
                .contains("bankrupt", "bankrupt/transport", "bankrupt/transport/ngpl",
                        "notes/bankruptcy/florida_issues");
        assertThat(bundled.enronUsers().stream().mapToLong(CorpusUser::bytes).sum()).isEqualTo(2_734_577L);
    }

    @Test
    void parentsComeBeforeChildrenAndMessagesInNumericOrder() {
        for (CorpusUser u : bundled.enronUsers()) {
            Set<String> seen = new TreeSet<>();
            for (CorpusFolder f : u.folders()) {
                int slash = f.path().lastIndexOf('/');
                if (slash > 0) {
                    assertThat(seen).as(u.name() + ": parent of " + f.path()).contains(f.path().substring(0, slash));
                }
                seen.add(f.path());
            }
        }
        List<String> california = bundled.enronUser("badeer-r").orElseThrow().folder("california").orElseThrow()
                .messages().stream().map(m -> m.path().substring(m.path().lastIndexOf('/') + 1)).toList();
        assertThat(california.subList(0, 11)).containsExactly("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11.");
    }

    @Test
    void folderNamesMapToImapNames() {
        CorpusUser beck = bundled.enronUser("beck-s").orElseThrow();
        assertThat(beck.folder("inbox").orElseThrow().imapName('/')).isEqualTo("INBOX");
        assertThat(beck.folder("inbox/ncl").orElseThrow().imapName('.')).isEqualTo("INBOX.ncl");
        assertThat(new CorpusFolder("notes/inbox", List.of()).imapName('/')).isEqualTo("notes/inbox");
    }

    @Test
    void everyBundledFileMatchesItsManifestAndEveryFileIsListed() throws Exception {
        for (CorpusMessage m : allBundled()) {
            byte[] b = m.bytes();
            assertThat(b).as(m.path()).hasSize((int) m.size());
            assertThat(MailboxSnapshot.sha256(b)).as(m.path()).isEqualTo(m.sha256());
        }
        Set<String> listed = allBundled().stream().map(CorpusMessage::path).collect(Collectors.toSet());
        Path sample = Path.of(System.getProperty(Corpus.SAMPLE_DIR_PROPERTY));
        Path testing = Path.of(Corpus.class.getResource("/" + Corpus.NASTY_RESOURCES + Corpus.BUNDLED_NASTY_MANIFEST)
                .toURI()).getParent().getParent();
        Set<String> onDisk = new TreeSet<>();
        onDisk.addAll(files(sample, "enron"));
        onDisk.addAll(files(testing, "nasty"));
        onDisk.removeIf(p -> p.endsWith("MANIFEST.tsv") || p.endsWith("ORIGIN.md") || p.contains("/LICENSES/"));
        assertThat(onDisk).containsExactlyInAnyOrderElementsOf(listed);
    }

    @Test
    void bundledNastyMessagesArePermissivelyLicensedAndCoverTheHardCases() {
        List<CorpusMessage> nasty = bundled.nastyMessages();
        assertThat(nasty).hasSizeBetween(20, 40);
        assertThat(bundled.nastySources()).doesNotContain("notmuch", "mime4j-mimetools");
        assertThat(nasty).allSatisfy(m -> assertThat(m.licence())
                .containsAnyOf("Apache-2.0", "MIT", "BSD-2-Clause", "PSF-2.0"));
        assertThat(nasty).allSatisfy(m -> assertThat(m.licence()).doesNotContain("GPL", "Artistic"));
        for (String trait : List.of("no-Message-ID", "no-Date", "no-From", "8bit-header", "line>998",
                "bare-CR", "NUL", "no-header/body-separator", "mime-depth")) {
            assertThat(nasty).as(trait).anyMatch(m -> m.hasTrait(trait));
        }
        assertThat(nasty).anyMatch(m -> m.traits().contains("mime-depth=5"));
        // several different messages sharing one Message-ID
        Map<String, Long> ids = nasty.stream().map(m -> messageId(m.bytes())).filter(id -> !id.isEmpty())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        assertThat(ids.values()).anyMatch(n -> n >= 3);
        assertThat(bundled.message("nasty/mime4j/basic-plain.eml")).isPresent();
        assertThat(bundled.message("enron/beck-s/inbox/1.")).isPresent();
    }

    @Test
    void sharedCorpusIsTheFullSetAndContainsTheBundledSampleByteForByte() {
        Corpus shared = Corpus.shared().orElse(null);
        assumeTrue(shared != null, "no shared corpus at -D" + Corpus.DIR_PROPERTY);
        assertThat(shared.enronUsers()).extracting(CorpusUser::name)
                .containsExactly("badeer-r", "beck-s", "delainey-d", "fossum-d", "germany-c");
        assertThat(shared.enronUsers().stream().mapToInt(CorpusUser::messageCount).sum()).isEqualTo(9_458);
        assertThat(shared.nastyMessages()).hasSize(241);
        assertThat(shared.nastySources()).contains("notmuch", "mime4j-mimetools");
        for (CorpusMessage m : allBundled()) {
            CorpusMessage s = shared.message(m.path()).orElseThrow(() -> new AssertionError(m.path()));
            assertThat(s).isEqualTo(m);
            assertThat(s.bytes()).as(m.path()).isEqualTo(m.bytes());
        }
    }

    @Test
    void sharedIsEmptyWithoutTheDirectoryAndADirectoryWithoutManifestIsAnError(@TempDir Path dir) {
        String old = System.getProperty(Corpus.DIR_PROPERTY);
        try {
            System.setProperty(Corpus.DIR_PROPERTY, dir.resolve("absent").toString());
            assertThat(Corpus.shared()).isEmpty();
            System.clearProperty(Corpus.DIR_PROPERTY);
            assertThat(Corpus.shared()).isEmpty();
        } finally {
            if (old != null) {
                System.setProperty(Corpus.DIR_PROPERTY, old);
            }
        }
        assertThatThrownBy(() -> Corpus.fromDirectory(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MANIFEST");
    }

    private List<CorpusMessage> allBundled() {
        return Stream.concat(bundled.enronUsers().stream().flatMap(u -> u.messages().stream()),
                bundled.nastyMessages().stream()).toList();
    }

    private static Set<String> files(Path root, String sub) throws Exception {
        try (Stream<Path> s = Files.walk(root.resolve(sub))) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String messageId(byte[] raw) {
        String head = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).split("\r?\n\r?\n", 2)[0];
        for (String line : head.split("\r?\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("message-id:")) {
                return line.substring(11).trim();
            }
        }
        return "";
    }
}
