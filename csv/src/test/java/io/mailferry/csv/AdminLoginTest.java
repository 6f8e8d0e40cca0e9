package io.mailferry.csv;

import io.mailferry.core.MigrationUserEntry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminLoginTest {

    @Test
    void exchangeFormat() {
        assertThat(AdminLogin.exchange("contoso-students", "mailadmin").userName("terry.adams"))
                .isEqualTo("contoso-students/mailadmin/terry.adams");
    }

    @Test
    void dovecotFormatWithDefaultAndConfiguredSeparator() {
        assertThat(AdminLogin.dovecot("mailadmin").userName("terry.adams")).isEqualTo("terry.adams*mailadmin");
        assertThat(AdminLogin.dovecot("mailadmin", "%").userName("terry@contoso.edu"))
                .isEqualTo("terry@contoso.edu%mailadmin");
    }

    @Test
    void mirapointFormat() {
        assertThat(AdminLogin.mirapoint("mailadmin").userName("terry.adams@contoso-students.edu"))
                .isEqualTo("#terry.adams@contoso-students.edu#mailadmin#");
        assertThatThrownBy(() -> AdminLogin.mirapoint("mailadmin").userName("terry.adams"))
                .hasMessageContaining("user@domain");
    }

    @Test
    void partsMustNotContainTheSeparatorOrSpaces() {
        assertThatThrownBy(() -> AdminLogin.exchange("a/b", "admin")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> AdminLogin.exchange("dom", "admin").userName("x/y")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> AdminLogin.dovecot("ad*min")).hasMessageContaining("'*'");
        assertThatThrownBy(() -> AdminLogin.dovecot("admin").userName("te*rry")).hasMessageContaining("'*'");
        assertThatThrownBy(() -> AdminLogin.mirapoint("ad#min")).hasMessageContaining("'#'");
        assertThatThrownBy(() -> AdminLogin.dovecot("admin", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminLogin.dovecot("admin").userName("terry adams"))
                .hasMessageContaining("white space");
        assertThatThrownBy(() -> AdminLogin.dovecot("")).hasMessageContaining("blank");
    }

    @Test
    void entryUsesTheAdministratorsPasswordAndRoundTripsThroughTheImapCsv() {
        AdminLogin admin = AdminLogin.dovecot("mailadmin");
        MigrationUserEntry entry = admin.entry("terry@contoso.edu", "terry.adams", "Adm1nPw");

        assertThat(entry).isEqualTo(MigrationUserEntry.of("terry@contoso.edu", "terry.adams*mailadmin", "Adm1nPw"));
        assertThat(admin.toString()).contains("Dovecot", "mailadmin").doesNotContain("Adm1nPw");

        String csv = "EmailAddress,UserName,Password\n" + entry.emailAddress() + "," + entry.sourceUserName() + ","
                + entry.sourcePassword() + "\n";
        MigrationCsv read = MigrationCsvReader.of(CsvSchema.IMAP)
                .read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
        assertThat(read.entries()).containsExactly(entry);
    }

    @Test
    void sharedFolderServersUseTheAdministratorInUserNameAndTheUserRoot() {
        String csv = "EmailAddress,UserName,Password,UserRoot\nterry@contoso.edu,mailadmin,P@ssw0rd,/users/terry.adams\n";
        MigrationCsv read = MigrationCsvReader.of(CsvSchema.IMAP)
                .read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));

        assertThat(read.entries().get(0).sourceUserName()).isEqualTo("mailadmin");
        assertThat(read.entries().get(0).userRoot()).isEqualTo("/users/terry.adams");
    }

    @Test
    void sharedFolderEntryPutsTheAdministratorInUserNameAndThePathInUserRoot() {
        MigrationUserEntry entry = AdminLogin.sharedFolderEntry("terry@contoso.edu", "mailadmin", "P@ssw0rd",
                "/users/terry adams");

        assertThat(entry).isEqualTo(new MigrationUserEntry("terry@contoso.edu", "mailadmin", "P@ssw0rd", null, null,
                "/users/terry adams"));
        assertThatThrownBy(() -> AdminLogin.sharedFolderEntry("t@c.edu", "mail admin", "pw", "/users/t"))
                .hasMessageContaining("white space");
        assertThatThrownBy(() -> AdminLogin.sharedFolderEntry("t@c.edu", "mailadmin", "pw", " /users/t"))
                .hasMessageContaining("userRoot").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> AdminLogin.sharedFolderEntry("t@c.edu", "mailadmin", "pw", ""))
                .hasMessageContaining("userRoot");
    }
}
