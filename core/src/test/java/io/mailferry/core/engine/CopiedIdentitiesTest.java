package io.mailferry.core.engine;

import io.mailferry.core.store.FirstCopies;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CopiedIdentitiesTest {

    @Test
    void storedAndAddedIdentitiesKeepTheirFirstLocationAcrossMerges() {
        FirstCopies stored = FirstCopies.builder().add(500, "INBOX", 7).add(-3, null, 0).add(500, "Work", 9)
                .add(42, "Work", 4_294_967_295L).build();
        CopiedIdentities ids = CopiedIdentities.of(stored);

        assertThat(ids.contains(500)).isTrue();
        assertThat(ids.contains(0)).isFalse();
        assertThat(ids.location(0)).isEqualTo(CopiedIdentities.ABSENT);
        assertThat(ids.location(-3)).isEqualTo(CopiedIdentities.UNKNOWN);
        assertThat(where(ids, 500)).isEqualTo("INBOX#7");
        assertThat(where(ids, 42)).isEqualTo("Work#4294967295");

        // 30,000 identities in chunks of 100, as a pass adds them: several merges into the base
        long id = 1_000;
        for (int chunk = 0; chunk < 300; chunk++) {
            long[] added = new long[100];
            long[] uids = new long[100];
            for (int i = 0; i < 100; i++) {
                id += 3;
                added[i] = chunk % 2 == 0 ? id : -id; // not in ascending order overall
                uids[i] = chunk == 7 ? 0 : chunk * 100L + i + 1;
            }
            ids.add(added, "Folder " + (chunk % 3), uids);
        }
        ids.add(new long[] {500, 1_003, 77}, "Later", new long[] {1, 2, 0}); // 500 and 1,003 are known already

        assertThat(where(ids, 500)).isEqualTo("INBOX#7");
        assertThat(where(ids, 1_003)).isEqualTo("Folder 0#1");
        assertThat(ids.location(77)).isEqualTo(CopiedIdentities.UNKNOWN);
        assertThat(ids.contains(77)).isTrue();
        long lastOfChunk5 = -(1_000 + 3L * 600);
        assertThat(where(ids, lastOfChunk5)).isEqualTo("Folder 2#600");
        long inChunk7 = -(1_000 + 3L * 701);
        assertThat(ids.contains(inChunk7)).isTrue();
        assertThat(ids.location(inChunk7)).as("no UID reported").isEqualTo(CopiedIdentities.UNKNOWN);
        assertThat(ids.contains(1_001)).isFalse();
        for (long k = 1; k <= 30_000; k++) {
            long v = 1_000 + 3 * k;
            long expected = ((k - 1) / 100) % 2 == 0 ? v : -v;
            assertThat(ids.contains(expected)).isTrue();
        }
        assertThat(ids.folderIndex("INBOX")).isEqualTo(stored.folders().indexOf("INBOX"));
    }

    @Test
    void aBuilderKeepsTheFirstAdditionOfAnIdentity() {
        FirstCopies.Builder b = FirstCopies.builder();
        for (int i = 0; i < 1_000; i++) {
            b.add(1_000 - i % 500, "F" + (i / 500), i + 1);
        }
        FirstCopies c = b.build();
        assertThat(c.size()).isEqualTo(500);
        assertThat(c.identity(0)).isEqualTo(501);
        assertThat(c.targetFolder(c.indexOf(1_000))).isEqualTo("F0");
        assertThat(c.targetUid(c.indexOf(1_000))).isEqualTo(1);
        assertThat(c.targetUid(c.indexOf(501))).isEqualTo(500);
        assertThat(FirstCopies.withoutLocations(new long[] {3, 0, 3, -1}).identities()).containsExactly(-1, 3);
    }

    private static String where(CopiedIdentities ids, long id) {
        long at = ids.location(id);
        assertThat(at).as("location of %d", id).isPositive();
        return ids.folder(CopiedIdentities.folderOf(at)) + "#" + CopiedIdentities.uidOf(at);
    }
}
