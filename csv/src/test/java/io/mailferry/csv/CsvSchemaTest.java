package io.mailferry.csv;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvSchemaTest {

    @Test
    void builtInSchemasFollowTheExchangeFormats() {
        assertThat(CsvSchema.IMAP.requiredColumns()).containsExactly("EmailAddress", "UserName", "Password");
        assertThat(CsvSchema.IMAP.optionalColumns()).containsExactly("UserRoot", "TargetUserName", "TargetPassword");
        assertThat(CsvSchema.IMAP.maxRows()).isEqualTo(50_000);
        assertThat(CsvSchema.IMAP.secretColumns()).containsExactlyInAnyOrder("Password", "TargetPassword");
        assertThat(CsvSchema.STAGED.requiredColumns()).containsExactly("EmailAddress");
        assertThat(CsvSchema.STAGED.optionalColumns()).containsExactly("Password", "ForceChangePassword");
        assertThat(CsvSchema.STAGED.maxRows()).isEqualTo(2_000);
        assertThat(CsvSchema.STAGED.isSecret("password")).isTrue();
        assertThat(CsvSchema.REMOTE.optionalColumns()).containsExactly("BadItemLimit", "LargeItemLimit", "MailboxType");
        assertThat(CsvSchema.OFFBOARDING.requiredColumns()).containsExactly("EmailAddress", "TargetDatabase");
        assertThat(CsvSchema.OFFBOARDING.optionalColumns()).containsExactly("TargetArchiveDatabase", "BadItemLimit",
                "LargeItemLimit", "MailboxType");
        assertThat(CsvSchema.GOOGLE_WORKSPACE.allColumns()).containsExactly("EmailAddress", "Username");
    }

    @Test
    void columnsMatchIgnoringCase() {
        assertThat(CsvSchema.IMAP.column("USERNAME")).contains("UserName");
        assertThat(CsvSchema.GOOGLE_WORKSPACE.column("UserName")).contains("Username");
        assertThat(CsvSchema.IMAP.column("User Name")).isEmpty();
    }

    @Test
    void withersExtendWithoutChangingTheOriginal() {
        CsvSchema extended = CsvSchema.IMAP.withOptionalColumns("BadItemLimit").withMaxRows(10)
                .withSecretColumns("userroot");

        assertThat(extended.optionalColumns()).endsWith("BadItemLimit");
        assertThat(extended.maxRows()).isEqualTo(10);
        assertThat(extended.isSecret("UserRoot")).isTrue();
        assertThat(CsvSchema.IMAP.optionalColumns()).doesNotContain("BadItemLimit");
        assertThat(CsvSchema.IMAP.maxRows()).isEqualTo(50_000);
    }

    @Test
    void withValidatorRunsTheExistingCheckFirst() {
        CsvSchema schema = CsvSchema.IMAP.withValidator("UserName", (c, v) -> Optional.of("second"));
        CellValidator userName = schema.validators().get("UserName");

        assertThat(userName.check("UserName", "")).hasValueSatisfying(p -> assertThat(p).contains("UserName is empty"));
        assertThat(userName.check("UserName", "terry")).contains("second");
    }

    @Test
    void rejectsInconsistentSchemas() {
        CsvSchema.EntryColumns none = CsvSchema.EntryColumns.ADMIN_ONLY;
        assertThatThrownBy(() -> new CsvSchema("X", List.of("UserName"), List.of(), 1, Map.of(), Set.of(), none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must require EmailAddress");
        assertThatThrownBy(() -> new CsvSchema("X", List.of("EmailAddress"), List.of("emailaddress"), 1, Map.of(),
                Set.of(), none)).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new CsvSchema("X", List.of("EmailAddress"), List.of("Bad Name"), 1, Map.of(),
                Set.of(), none)).hasMessageContaining("spaces");
        assertThatThrownBy(() -> new CsvSchema("X", List.of("EmailAddress"), List.of(), 0, Map.of(), Set.of(), none))
                .hasMessageContaining("maxRows");
        assertThatThrownBy(() -> new CsvSchema("X", List.of("EmailAddress"), List.of(), 1,
                Map.of("Nope", CellValidator.itemLimit()), Set.of(), none)).hasMessageContaining("'Nope'");
        assertThatThrownBy(() -> new CsvSchema("X", List.of("EmailAddress"), List.of(), 1, Map.of(), Set.of(),
                CsvSchema.EntryColumns.IMAP)).hasMessageContaining("'UserName'");
        assertThatThrownBy(() -> new CsvSchema.EntryColumns(null, null, "TargetUserName", null, null))
                .hasMessageContaining("go together");
    }

    @Test
    void toStringListsColumnsNotValidators() {
        assertThat(CsvSchema.IMAP.toString()).contains("IMAP", "UserName", "maxRows=50000").doesNotContain("$$Lambda");
    }

    @Test
    void cellValidators() {
        assertThat(CellValidator.itemLimit().check("BadItemLimit", "Unlimited")).isEmpty();
        assertThat(CellValidator.itemLimit().check("BadItemLimit", "2147483647")).isEmpty();
        assertThat(CellValidator.itemLimit().check("BadItemLimit", "")).isEmpty();
        assertThat(CellValidator.itemLimit().check("BadItemLimit", "-1")).isPresent();
        assertThat(CellValidator.itemLimit().check("BadItemLimit", "2147483648")).isPresent();
        assertThat(CellValidator.oneOf("True", "False").check("F", "true")).isEmpty();
        assertThat(CellValidator.minLength(8).check("Password", "1234567"))
                .hasValueSatisfying(p -> assertThat(p).doesNotContain("1234567"));
        assertThat(CellValidator.minLength(8).check("Password", "12345678")).isEmpty();
        assertThat(CellValidator.smtpAddress(true).check("Username", "")).isEmpty();
        assertThat(CellValidator.smtpAddress(false).check("EmailAddress", "")).isPresent();
        assertThat(CellValidator.noSurroundingSpaces().check("UserName", "a\t")).isPresent();
        assertThatThrownBy(() -> CellValidator.minLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(CellValidator::oneOf).isInstanceOf(IllegalArgumentException.class);
    }
}
