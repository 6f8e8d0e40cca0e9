package io.mailferry.ews.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyncStateStoreTest {

    private static final FolderSyncData DATA = new FolderSyncData("H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0oQ==", 100, 250,
            Map.of("AAMkADMsg01=", 200L, "AAMkADMsg02=", 250L), true);

    @Test
    void aDirectoryStoreKeepsStatesAcrossInstances(@TempDir Path dir) {
        SyncStateStore.directory(dir).save("ep|bob@contoso.com|AAMkFolder=", DATA);

        SyncStateStore again = SyncStateStore.directory(dir);
        assertThat(again.load("ep|bob@contoso.com|AAMkFolder=")).contains(DATA);
        assertThat(again.load("ep|alice@contoso.com|AAMkFolder=")).isEmpty();
        assertThat(DATA.modSeqOf("AAMkADMsg02=")).isEqualTo(250);
        assertThat(DATA.modSeqOf("AAMkADMsgXX=")).isEqualTo(100);
    }

    @Test
    void anUnreadableStateIsNoState(@TempDir Path dir) throws Exception {
        SyncStateStore store = SyncStateStore.directory(dir);
        store.save("k", DATA);
        try (var files = Files.list(dir)) {
            Path f = files.filter(p -> p.toString().endsWith(".sync")).findFirst().orElseThrow();
            Files.writeString(f, "mailferry-ews-sync 1\nkey=k\nbaseline=x\n");
        }

        assertThat(store.load("k")).isEmpty();
    }

    @Test
    void theMemoryStoreReplacesStates() {
        SyncStateStore store = SyncStateStore.inMemory();
        store.save("k", FolderSyncData.fresh(5));
        store.save("k", DATA);

        assertThat(store.load("k")).contains(DATA);
    }
}
