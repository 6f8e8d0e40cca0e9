package io.mailferry.core.engine;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.FolderPattern;
import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.FolderInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** IncludeFolders/ExcludeFolders applied to a listed mailbox, before the mapping. */
class FolderFilterTest {

    private static FolderInfo folder(String name) {
        return new FolderInfo(name, '/', Set.of(), null, true);
    }

    private static FolderInfo folder(String name, FolderRole role) {
        return new FolderInfo(name, '/', Set.of(role.attribute().orElseThrow()), role, true);
    }

    private static final List<FolderInfo> MAILBOX = List.of(
            folder("INBOX"), folder("INBOX/Customers"), folder("Gesendet", FolderRole.SENT), folder("Gesendet/2019"),
            folder("Spam", FolderRole.JUNK), folder("Projects"), folder("Projects/2024"), folder("Projects/2024/Q1"),
            folder("#Private#"));

    private static List<String> apply(List<String> include, List<String> exclude) {
        FolderFilter f = FolderFilter.of(BatchOptions.builder().includeFolders(include).excludeFolders(exclude).build());
        return f.apply(MAILBOX).stream().map(x -> x.name() + (x.selectable() ? "" : " (structure)")).toList();
    }

    @Test
    void withoutPatternsEveryFolderIsCopied() {
        assertThat(FolderFilter.of(BatchOptions.DEFAULTS).apply(MAILBOX)).isSameAs(MAILBOX);
    }

    @Test
    void excludeRemovesFoldersByNameRoleAndSubtree() {
        assertThat(apply(List.of(), List.of("#JunkEmail#", "#SentItems#/*", "projects/2024", "\\#Private\\#")))
                .containsExactly("INBOX", "INBOX/Customers", "Projects", "Projects/2024 (structure)", "Projects/2024/Q1");
    }

    @Test
    void includeKeepsOnlyTheNamedFoldersAndKeepsTheirParentsAsStructure() {
        assertThat(apply(List.of("#Inbox#", "Projects/2024/Q1", "#SentItems#/2019"), List.of()))
                .containsExactly("INBOX", "Gesendet (structure)", "Gesendet/2019", "Projects (structure)",
                        "Projects/2024 (structure)", "Projects/2024/Q1");
    }

    @Test
    void excludeWinsOverInclude() {
        assertThat(apply(List.of("#Inbox#/*"), List.of("INBOX/Customers"))).containsExactly("INBOX");
    }

    @Test
    void aRoleLayerCanTeachTheFilterRolesTheServerDoesNotAnnounce() {
        List<FolderInfo> plain = List.of(folder("INBOX"), folder("Sent Items"), folder("Other"));
        FolderFilter byName = new FolderFilter(List.of(), List.of(FolderPattern.of("#SentItems#")),
                FolderFilter::defaultRole).withRoles(f -> f.name().equals("Sent Items") ? FolderRole.SENT
                : FolderFilter.defaultRole(f));
        assertThat(byName.apply(plain)).extracting(FolderInfo::name).containsExactly("INBOX", "Other");
    }

    @Test
    void theMapperCreatesStructureFoldersButCopiesNothingIntoThem() {
        FolderFilter f = FolderFilter.of(BatchOptions.builder().includeFolders(List.of("Projects/2024")).build());
        FolderMapper.Plan plan = FolderMapper.plan(MAILBOX, List.of(new FolderInfo("INBOX", '.', Set.of(), FolderRole.INBOX,
                true)), f);
        assertThat(plan.toCreate()).containsExactly("Projects", "Projects.2024");
        assertThat(plan.mappings()).filteredOn(m -> m.source().selectable()).extracting(m -> m.source().name())
                .containsExactly("Projects/2024");
    }
}
