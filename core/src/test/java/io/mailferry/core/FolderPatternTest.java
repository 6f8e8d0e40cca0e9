package io.mailferry.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exchange's IncludeFolders/ExcludeFolders grammar, pattern by pattern. */
class FolderPatternTest {

    private static List<String> path(String slashed) {
        return Arrays.asList(slashed.split("/"));
    }

    private static boolean matches(String pattern, String folder, FolderRole role) {
        return FolderPattern.of(pattern).matches(path(folder), role);
    }

    private static boolean matches(String pattern, String folder) {
        return matches(pattern, folder, null);
    }

    @Test
    void aNameIsThatFolderOnlyIgnoringCase() {
        assertThat(matches("Projects", "Projects")).isTrue();
        assertThat(matches("projects", "PROJECTS")).isTrue();
        assertThat(matches("Projects", "Projects/2024")).isFalse();
        assertThat(matches("Projects/2024", "Projects/2024")).isTrue();
        assertThat(matches("Projects/2024", "Projects")).isFalse();
        assertThat(matches("Deleted Items", "Deleted Items")).isTrue();
        assertThat(matches("Proj", "Projects")).as("no wildcards, no prefixes").isFalse();
    }

    @Test
    void slashStarIsTheFolderAndItsSubtree() {
        assertThat(matches("Projects/*", "Projects")).isTrue();
        assertThat(matches("Projects/*", "Projects/2024")).isTrue();
        assertThat(matches("Projects/*", "Projects/2024/Q1")).isTrue();
        assertThat(matches("Projects/*", "Projectsold")).isFalse();
        assertThat(matches("Projects/2024/*", "Projects")).isFalse();
    }

    @Test
    void wellKnownTokensMatchByRoleWhateverTheFolderIsCalled() {
        assertThat(matches("#SentItems#", "Gesendete Objekte", FolderRole.SENT)).isTrue();
        assertThat(matches("#sentitems#", "Sent", FolderRole.SENT)).isTrue();
        assertThat(matches("#SentItems#", "Sent", null)).as("a folder named Sent without the role").isFalse();
        assertThat(matches("#DeletedItems#", "Trash", FolderRole.TRASH)).isTrue();
        assertThat(matches("#Drafts#", "Entwürfe", FolderRole.DRAFTS)).isTrue();
        assertThat(matches("#JunkEmail#", "Spam", FolderRole.JUNK)).isTrue();
        assertThat(matches("#Archive#", "Archiv", FolderRole.ARCHIVE)).isTrue();
        assertThat(matches("#AllItems#", "[Gmail]/All Mail", FolderRole.ALL)).isTrue();
        assertThat(matches("#Inbox#", "INBOX")).isTrue();
        assertThat(matches("#Inbox#", "inbox")).isTrue();
        assertThat(matches("#Inbox#", "INBOX/Customers")).isFalse();
        assertThat(matches("#Inbox#/*", "INBOX/Customers")).isTrue();
        assertThat(matches("#Inbox#/Customers", "INBOX/Customers")).isTrue();
        assertThat(matches("#Calendar#", "Calendar")).as("no IMAP folder has that role").isFalse();
    }

    @Test
    void aTokenFollowedByLevelsNamesFoldersBelowTheRoleFolder() {
        FolderPattern p = FolderPattern.of("#SentItems#/2019");
        List<String> sent2019 = path("Gesendet/2019");
        assertThat(p.matches(sent2019, k -> k == 1 ? FolderRole.SENT : null)).isTrue();
        assertThat(p.matches(sent2019, k -> null)).isFalse();
        assertThat(FolderPattern.of("#SentItems#/*").matches(sent2019, k -> k == 1 ? FolderRole.SENT : null)).isTrue();
    }

    @Test
    void rootSlashStarIsEveryFolder() {
        assertThat(matches("#Root#/*", "INBOX")).isTrue();
        assertThat(matches("#Root#/*", "a/b/c")).isTrue();
        assertThat(matches("#Root#/Projects", "Projects")).isTrue();
        assertThat(matches("#Root#", "Projects")).isFalse();
    }

    @Test
    void escapedHashesNameAFolderWhoseNameHasThem() {
        assertThat(matches("\\#Inbox\\#", "#Inbox#")).isTrue();
        assertThat(matches("\\#Inbox\\#", "INBOX")).isFalse();
        assertThat(matches("\\#Projects\\#/*", "#Projects#/2024")).isTrue();
        assertThat(matches("a\\/b", "a/b")).as("an escaped slash is not a level").isFalse();
        assertThat(FolderPattern.of("a\\/b").matches(List.of("a/b"), (FolderRole) null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Projects//2024", "*", "a/*/b", "#Nowhere#", "Projects/#Inbox#", "/"})
    void invalidPatternsAreRejectedWithTheReason(String text) {
        assertThatThrownBy(() -> FolderPattern.of(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void optionsValidateTheirPatterns() {
        assertThatThrownBy(() -> BatchOptions.builder().excludeFolders(List.of("#Bogus#")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#Bogus#");
        assertThat(BatchOptions.builder().includeFolders(List.of("#Inbox#/*")).build().includeFolders())
                .containsExactly(FolderPattern.of("#Inbox#/*"));
    }
}
