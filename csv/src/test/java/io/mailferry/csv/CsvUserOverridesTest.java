package io.mailferry.csv;

import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserStatus;
import io.mailferry.core.UserOverrides;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.spi.memory.InMemoryConnectorProvider;
import io.mailferry.core.spi.memory.InMemoryMailServer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A non-empty BadItemLimit/LargeItemLimit cell overrides the batch setting for that row; an empty cell inherits it. */
class CsvUserOverridesTest {

    private static MigrationCsv read(CsvSchema schema, String text) {
        return MigrationCsvReader.of(schema).read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rowsWithLimitCellsGiveOverridesAndEmptyCellsInherit() {
        MigrationCsv csv = read(CsvSchema.REMOTE, """
                EmailAddress,BadItemLimit,LargeItemLimit,MailboxType
                a@contoso.com,10,,PrimaryOnly
                b@contoso.com,,,
                c@contoso.com,,Unlimited,
                d@contoso.com,0,0,
                """);

        assertThat(csv.rows().get(0).overrides()).isEqualTo(new UserOverrides(null, null, ItemLimit.of(10), null));
        assertThat(csv.rows().get(1).overrides()).isEqualTo(UserOverrides.NONE);
        assertThat(csv.entries()).extracting(e -> e.overrides()).containsExactly(
                new UserOverrides(null, null, ItemLimit.of(10), null),
                UserOverrides.NONE,
                new UserOverrides(null, null, null, ItemLimit.UNLIMITED),
                new UserOverrides(null, null, ItemLimit.ZERO, ItemLimit.ZERO));
        assertThat(read(CsvSchema.IMAP, "EmailAddress,UserName,Password\na@b.com,a,pw\n").entries())
                .allSatisfy(e -> assertThat(e.overrides().isEmpty()).isTrue());
    }

    @Test
    void aCsvDefinedBatchAppliesEachRowsBadItemLimit() throws Exception {
        InMemoryMailServer source = new InMemoryMailServer("old.test");
        InMemoryMailServer target = new InMemoryMailServer("new.test").admin("admin", "admin-pw")
                .refuseAppends(raw -> new String(raw, StandardCharsets.ISO_8859_1).contains("Subject: Refused"),
                        "NO [CANNOT] refused");
        for (String login : List.of("alice", "bob", "carol")) {
            source.addUser(login, login + "-pw");
            target.addUser(login + "@new.example", "x");
            source.append(login, "INBOX", TestMessages.plain("Good", "x"), MessageFlags.NONE, null);
            source.append(login, "INBOX", TestMessages.plain("Refused 1", "x"), MessageFlags.NONE, null);
            source.append(login, "INBOX", TestMessages.plain("Refused 2", "x"), MessageFlags.NONE, null);
        }
        InMemoryConnectorProvider memory = new InMemoryConnectorProvider().register(source).register(target);
        MigrationCsv csv = read(CsvSchema.IMAP.withOptionalColumns(CsvSchema.BAD_ITEM_LIMIT)
                .withValidator(CsvSchema.BAD_ITEM_LIMIT, CellValidator.itemLimit()), """
                EmailAddress,UserName,Password,BadItemLimit
                alice@new.example,alice,alice-pw,
                bob@new.example,bob,bob-pw,2
                carol@new.example,carol,carol-pw,Unlimited
                """);

        try (MigrationService service = MigrationService.builder().connectors(Connectors.of(List.of(memory))).build()) {
            MigrationBatch batch = csv.applyTo(service.newBatch("wave-1"))
                    .sourceEndpoint(memory.endpoint("old", source).build())
                    .targetEndpoint(memory.endpoint("new", target).adminCredentials(new Credentials("admin", "admin-pw"))
                            .build())
                    .badItemLimit(ItemLimit.of(1))
                    .create();
            batch.start();
            assertThat(batch.awaitStatus(Duration.ofSeconds(30), BatchStatus::isSettled)).isTrue();

            assertThat(batch.user("alice@new.example").orElseThrow().status()).as("inherits 1")
                    .isEqualTo(MigrationUserStatus.FAILED);
            assertThat(batch.user("bob@new.example").orElseThrow().status()).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(batch.user("carol@new.example").orElseThrow().status()).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(batch.skippedItems("bob@new.example")).hasSize(2);
        }
    }

    @Test
    void anySchemaCanTakeTheTargetCredentials() {
        CsvSchema google = CsvSchema.GOOGLE_WORKSPACE.withTargetCredentials();
        assertThat(google.optionalColumns()).containsExactly("Username", "TargetUserName", "TargetPassword");
        assertThat(google.isSecret("TargetPassword")).isTrue();
        assertThat(CsvSchema.IMAP.withTargetCredentials()).isSameAs(CsvSchema.IMAP);

        MigrationCsv csv = read(google, """
                EmailAddress,Username,TargetUserName,TargetPassword
                terry@contoso.edu,terry@gmail.com,terry@contoso.edu,Target-Pw1
                ann@contoso.edu,,,
                half@contoso.edu,,half@contoso.edu,
                spaced@contoso.edu,, spaced@contoso.edu,Target-Pw2
                """);

        assertThat(csv.entries().get(0).sourceUserName()).isEqualTo("terry@gmail.com");
        assertThat(csv.entries().get(0).targetCredentials()).contains(new Credentials("terry@contoso.edu", "Target-Pw1"));
        assertThat(csv.entries().get(1).targetCredentials()).isEmpty();
        assertThat(csv.rejectedRows()).extracting(RejectedRow::line).containsExactly(4L, 5L);
        assertThat(csv.rejectedRows().get(0).reason()).contains("go together");
        assertThat(csv.rejectedRows().get(1).reason()).contains("leading or trailing spaces").doesNotContain("Target-Pw2");
        assertThat(csv.rows()).allSatisfy(r -> assertThat(r.extraCells()).doesNotContainKeys("TargetPassword"));
    }
}
