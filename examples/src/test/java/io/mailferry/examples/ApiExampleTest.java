package io.mailferry.examples;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.imap.testing.GreenMailImap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExampleTest {

    @Test
    void migratesTheUsersOfACsvFileBetweenTwoServers(@TempDir Path dir) throws Exception {
        try (GreenMailImap source = GreenMailImap.start(); GreenMailImap target = GreenMailImap.start()) {
            List<SampleMail.Message> inbox = SampleMail.byUser().get("badeer-r").stream()
                    .filter(m -> m.folder().equals("inbox")).limit(20).toList();
            StringBuilder csv = new StringBuilder("EmailAddress,UserName,Password,TargetUserName,TargetPassword\n");
            List<Credentials> targets = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Credentials src = source.newUser("src");
                Credentials dst = target.newUser("dst");
                try (TargetMailbox box = source.openTarget(src)) {
                    List<AppendRequest> requests = new ArrayList<>();
                    for (SampleMail.Message m : inbox) {
                        byte[] bytes = m.crlfContent();
                        requests.add(new AppendRequest(MessageFlags.of(MessageFlags.SEEN), null, content(bytes)));
                    }
                    box.append("INBOX", requests);
                }
                csv.append("user").append(i).append("@example.test,").append(src.username()).append(',')
                        .append(src.password()).append(',').append(dst.username()).append(',').append(dst.password())
                        .append('\n');
                targets.add(dst);
            }
            Path users = dir.resolve("users.csv");
            Files.writeString(users, csv);

            MigrationBatchStatistics stats = ApiExample.migrate(GreenMailImap.HOST, source.imapPort(),
                    GreenMailImap.HOST, target.imapPort(), users, Duration.ofMinutes(2));

            assertThat(stats.totalCount()).isEqualTo(2);
            assertThat(stats.syncedCount()).isEqualTo(2);
            assertThat(stats.failedCount()).isZero();
            assertThat(stats.syncedItemCount()).isEqualTo(2L * inbox.size());
            for (Credentials dst : targets) {
                try (SourceMailbox box = target.openSource(dst)) {
                    box.selectFolder("INBOX");
                    List<MessageInfo> copied = box.listMessages("INBOX", 0, 1000);
                    assertThat(copied).hasSize(inbox.size());
                    assertThat(copied).allSatisfy(m -> assertThat(m.flags().contains(MessageFlags.SEEN)).isTrue());
                }
            }
        }
    }

    private static MessageContent content(byte[] bytes) {
        return MessageContent.of(bytes);
    }
}
