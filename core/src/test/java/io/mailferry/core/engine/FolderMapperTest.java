package io.mailferry.core.engine;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.FolderInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class FolderMapperTest {

    private static FolderInfo folder(String name, char sep) {
        return new FolderInfo(name, sep, Set.of(), name.equalsIgnoreCase("INBOX") ? FolderRole.INBOX : null, true);
    }

    private static FolderInfo folder(String name, char sep, FolderRole role) {
        return new FolderInfo(name, sep, Set.of(role.attribute().orElseThrow()), role, true);
    }

    private static FolderInfo noselect(String name, char sep) {
        return new FolderInfo(name, sep, Set.of("\\Noselect"), null, false);
    }

    private static Map<String, String> targets(FolderMapper.Plan plan) {
        Map<String, String> out = new LinkedHashMap<>();
        plan.mappings().forEach(m -> out.put(m.source().name(), m.targetName()));
        return out;
    }

    private static FolderMapper.Mapping mapping(FolderMapper.Plan plan, String source) {
        return plan.mappings().stream().filter(m -> m.source().name().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void inboxMapsToTheTargetInboxWhateverItsCaseAndIsNeverCreated() {
        FolderMapper.Plan plan = FolderMapper.plan(List.of(folder("Inbox", '/')), List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsExactly(entry("Inbox", "INBOX"));
        assertThat(plan.toCreate()).isEmpty();
        assertThat(mapping(plan, "Inbox").note()).isNull();
    }

    @Test
    void childrenOfTheInboxStayUnderTheTargetInbox() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("INBOX/Receipts", '/'), folder("INBOX/Receipts/2024", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("INBOX/Receipts", "INBOX.Receipts")
                .containsEntry("INBOX/Receipts/2024", "INBOX.Receipts.2024");
        assertThat(plan.toCreate()).containsExactly("INBOX.Receipts", "INBOX.Receipts.2024");
    }

    @Test
    void specialUseFolderMapsToTheTargetFolderOfTheSameRoleAndItsChildrenFollow() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Gesendete Objekte", '/', FolderRole.SENT),
                        folder("Gesendete Objekte/2019", '/'), folder("Papierkorb", '/', FolderRole.TRASH)),
                List.of(folder("INBOX", '.'), folder("Sent", '.', FolderRole.SENT), folder("Deleted Items", '.', FolderRole.TRASH)));

        assertThat(targets(plan)).containsEntry("Gesendete Objekte", "Sent")
                .containsEntry("Gesendete Objekte/2019", "Sent.2019")
                .containsEntry("Papierkorb", "Deleted Items");
        assertThat(mapping(plan, "Gesendete Objekte").note()).contains("special-use").contains("\\Sent");
        assertThat(plan.toCreate()).containsExactly("Sent.2019");
    }

    @Test
    void specialUseFolderWithoutACounterpartOnTheTargetKeepsItsName() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Junk E-Mail", '/', FolderRole.JUNK)),
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT)));

        assertThat(targets(plan)).containsEntry("Junk E-Mail", "Junk E-Mail");
        assertThat(plan.toCreate()).containsExactly("Junk E-Mail");
    }

    @Test
    void aNonSelectableTargetFolderIsNotUsedForItsRole() {
        FolderInfo sentNoselect = new FolderInfo("Sent", '/', Set.of("\\Noselect", "\\Sent"), FolderRole.SENT, false);

        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Sent Items", '/', FolderRole.SENT)),
                List.of(folder("INBOX", '/'), sentNoselect));

        assertThat(targets(plan)).containsEntry("Sent Items", "Sent Items");
    }

    @Test
    void virtualFoldersAllAndFlaggedAreNotMergedIntoTheTargetsOwn() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("[Gmail]/All Mail", '/', FolderRole.ALL)),
                List.of(folder("INBOX", '/'), folder("Archive", '/', FolderRole.ALL)));

        assertThat(targets(plan)).containsEntry("[Gmail]/All Mail", "[Gmail]/All Mail");
    }

    @Test
    void separatorsAreTranslatedLevelByLevelAndParentsAreCreatedFirst() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("Projects/2024/Q1", '/'), folder("INBOX", '/'), folder("Projects/2024", '/'),
                        folder("Projects", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("Projects", "Projects").containsEntry("Projects/2024", "Projects.2024")
                .containsEntry("Projects/2024/Q1", "Projects.2024.Q1");
        assertThat(plan.toCreate()).containsExactly("Projects", "Projects.2024", "Projects.2024.Q1");
        assertThat(plan.targetSeparator()).isEqualTo('.');
    }

    @Test
    void aLevelContainingTheTargetSeparatorHasItReplacedByUnderscoreAndTheRenameIsReported() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Release v1.2", '/'), folder("Release v1.2/notes.txt", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("Release v1.2", "Release v1_2")
                .containsEntry("Release v1.2/notes.txt", "Release v1_2.notes_txt");
        assertThat(mapping(plan, "Release v1.2").note()).contains("separator '.'").contains("'_'");
    }

    @Test
    void twoSourceFoldersNeverShareATargetFolder() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("a.b", '/'), folder("a_b", '/'), folder("a:b", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("a.b", "a_b").containsEntry("a_b", "a_b_2").containsEntry("a:b", "a:b");
        assertThat(mapping(plan, "a_b").note()).contains("already taken").contains("'a.b'");
        assertThat(plan.mappings()).extracting(FolderMapper.Mapping::targetName).doesNotHaveDuplicates();
    }

    @Test
    void specialUseFolderClaimsTheTargetRoleFolderEvenWhenASameNamedPlainFolderIsListedFirst() {
        List<FolderInfo> source = List.of(folder("INBOX", '/'), folder("Sent", '/'),
                folder("Sent Messages", '/', FolderRole.SENT));
        List<FolderInfo> target = List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT));

        FolderMapper.Plan plan = FolderMapper.plan(source, target);
        List<FolderInfo> reversed = new ArrayList<>(source);
        Collections.reverse(reversed);
        FolderMapper.Plan planOfReversedListing = FolderMapper.plan(reversed, target);

        assertThat(targets(plan)).containsEntry("Sent Messages", "Sent").containsEntry("Sent", "Sent_2");
        assertThat(targets(planOfReversedListing)).isEqualTo(targets(plan));
    }

    @Test
    void twoSourceFoldersWithTheSameRoleLeaveTheSecondUnderItsOwnName() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT), folder("Sent Messages", '/', FolderRole.SENT)),
                List.of(folder("INBOX", '/'), folder("Sent Items", '/', FolderRole.SENT)));

        assertThat(targets(plan)).containsEntry("Sent", "Sent Items").containsEntry("Sent Messages", "Sent Messages");
    }

    @Test
    void nonSelectableParentsAreMappedAndCreatedSoTheTreeIsPreserved() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), noselect("Archive", '/'), folder("Archive/2019", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("Archive", "Archive").containsEntry("Archive/2019", "Archive.2019");
        assertThat(plan.toCreate()).containsExactly("Archive", "Archive.2019");
        assertThat(mapping(plan, "Archive").source().selectable()).isFalse();
    }

    @Test
    void foldersThatExistOnTheTargetAreNotCreatedAgain() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Projects", '/'), folder("Projects/New", '/')),
                List.of(folder("INBOX", '.'), folder("Projects", '.')));

        assertThat(plan.toCreate()).containsExactly("Projects.New");
    }

    @Test
    void nonAsciiNamesAreKeptUnchanged() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Entwürfe", '/'), folder("送信済み", '/'), folder("Projekte/Übersicht", '/')),
                List.of(folder("INBOX", '.')));

        assertThat(targets(plan)).containsEntry("Entwürfe", "Entwürfe").containsEntry("送信済み", "送信済み")
                .containsEntry("Projekte/Übersicht", "Projekte.Übersicht");
    }

    @Test
    void sameSeparatorOnBothSidesKeepsEveryName() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("A", '/'), folder("A/B", '/')),
                List.of(folder("INBOX", '/')));

        assertThat(targets(plan)).containsEntry("A", "A").containsEntry("A/B", "A/B");
        assertThat(plan.mappings()).allSatisfy(m -> assertThat(m.note()).isNull());
    }

    @Test
    void aFlatTargetGetsTheSourceNamesWithTheSourceSeparatorInsideOneLevel() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("A", '/'), folder("A/B", '/')),
                List.of(folder("INBOX", FolderInfo.NO_SEPARATOR)));

        assertThat(plan.targetSeparator()).isEqualTo(FolderInfo.NO_SEPARATOR);
        assertThat(targets(plan)).containsEntry("A/B", "A/B");
    }

    @Test
    void aSourceWithADotSeparatorGoesToATargetWithASlashSeparator() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '.'), folder("INBOX.Sent", '.', FolderRole.SENT), folder("INBOX.a/b", '.'),
                        folder("Lists.java", '.')),
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT)));

        assertThat(targets(plan)).containsEntry("INBOX.Sent", "Sent").containsEntry("INBOX.a/b", "INBOX/a_b")
                .containsEntry("Lists.java", "Lists/java");
    }

    @Test
    void aLocalizedSourceNameWithoutAttributeGoesToTheTargetFolderOfThatRole() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Gesendete Elemente", '/'), folder("Gesendete Elemente/2019", '/'),
                        folder("Éléments supprimés", '/'), folder("送信済みアイテム", '/')),
                List.of(folder("INBOX", '.'), folder("Sent Items", '.', FolderRole.SENT), folder("Trash", '.', FolderRole.TRASH),
                        folder("Junk", '.')));

        assertThat(targets(plan)).containsEntry("Gesendete Elemente", "Sent Items")
                .containsEntry("Gesendete Elemente/2019", "Sent Items.2019")
                .containsEntry("Éléments supprimés", "Trash")
                .containsEntry("送信済みアイテム", "送信済みアイテム");
        assertThat(mapping(plan, "Gesendete Elemente").note()).contains("usual name").contains("\\Sent");
        assertThat(mapping(plan, "送信済みアイテム").note()).as("the role folder is taken: own name").isNull();
    }

    @Test
    void localizedNamesUnderTheInboxOfACourierStyleSourceAreRecognised() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '.'), folder("INBOX.Posta inviata", '.'), folder("INBOX.Bozze", '.')),
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT), folder("Drafts", '/', FolderRole.DRAFTS)));

        assertThat(targets(plan)).containsEntry("INBOX.Posta inviata", "Sent").containsEntry("INBOX.Bozze", "Drafts");
    }

    @Test
    void aTargetFolderOfTheSourceFoldersOwnNameWinsOverTheDictionarySoTheMappingNeverFlips() {
        List<FolderInfo> target = List.of(folder("INBOX", '/'), folder("Sent", '/'), folder("Sent Items", '/'));
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Sent Items", '/'), folder("Sent", '/')), target);

        assertThat(targets(plan)).containsEntry("Sent", "Sent").containsEntry("Sent Items", "Sent Items");
        assertThat(plan.toCreate()).isEmpty();
    }

    @Test
    void aTargetFolderIsATargetRoleFolderByItsAttributeOnlyNotByItsName() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Posta indesiderata", '/'), folder("Outbox Copies", '/', FolderRole.SENT)),
                List.of(folder("INBOX", '/'), folder("Junk", '/'), folder("Sent", '/')));

        assertThat(targets(plan)).containsEntry("Posta indesiderata", "Posta indesiderata")
                .containsEntry("Outbox Copies", "Outbox Copies");
    }

    @Test
    void theDictionaryCanBeSwitchedOff() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Gesendete Elemente", '/')),
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT)),
                new FolderMapper.Rules(Map.of(), false, List.of()));

        assertThat(targets(plan)).containsEntry("Gesendete Elemente", "Gesendete Elemente");
    }

    @Test
    void theExplicitMapComesFirstAndChildrenFollowIt() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Sent", '/', FolderRole.SENT), folder("Old", '/'),
                        folder("Old/2010", '/')),
                List.of(folder("INBOX", '.'), folder("Sent", '.', FolderRole.SENT)),
                new FolderMapper.Rules(Map.of("Sent", "Archive/Sent before 2024", "Old", "Archive/Old"), true, List.of()));

        assertThat(targets(plan)).containsEntry("Sent", "Archive.Sent before 2024")
                .containsEntry("Old", "Archive.Old").containsEntry("Old/2010", "Archive.Old.2010");
        assertThat(mapping(plan, "Old").note()).isEqualTo("explicit folder map");
        assertThat(plan.toCreate()).containsExactly("Archive.Sent before 2024", "Archive.Old", "Archive.Old.2010");
    }

    @Test
    void regularExpressionRulesApplyAfterTheRolesToTheWholePath() {
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("Lists", '/'), folder("Lists/java", '/'), folder("Listsx", '/')),
                List.of(folder("INBOX", '.')),
                new FolderMapper.Rules(Map.of(),
                        true, List.of(new FolderMapper.RegexRule(java.util.regex.Pattern.compile("Lists/(.+)"),
                        "Mailing lists/$1"))));

        assertThat(targets(plan)).containsEntry("Lists", "Lists").containsEntry("Lists/java", "Mailing lists.java")
                .containsEntry("Listsx", "Listsx");
        assertThat(mapping(plan, "Lists/java").note()).contains("folder rule");
    }

    @Test
    void virtualFoldersComeLastSoEveryRealFolderIsCopiedBeforeThem() {
        FolderInfo important = new FolderInfo("[Gmail]/Important", '/', Set.of("\\Important"), null, true);
        FolderMapper.Plan plan = FolderMapper.plan(
                List.of(folder("INBOX", '/'), folder("[Gmail]/All Mail", '/', FolderRole.ALL), important,
                        folder("[Gmail]/Starred", '/', FolderRole.FLAGGED), folder("Work", '/'), folder("zeta", '/')),
                List.of(folder("INBOX", '/')));

        assertThat(plan.mappings()).extracting(m -> m.source().name()).endsWith("[Gmail]/All Mail", "[Gmail]/Important",
                "[Gmail]/Starred").startsWith("INBOX");
    }
}
