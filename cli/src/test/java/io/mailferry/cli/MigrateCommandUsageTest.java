package io.mailferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage and configuration errors: exit code 1 and a message that says what is wrong. */
class MigrateCommandUsageTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = MailFerryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void missingRequiredOptionsIsAUsageError() {
        assertThat(run("migrate", "--source-host", "a")).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("Missing required option").contains("--users")
                .contains("mailferry migrate --help");
        // a target server is a host or a preset (both together: the host overrides the preset's)
        assertThat(run("migrate", "--source-host", "a", "--users", "u.csv")).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("give --target-host or --target-preset");
    }

    @Test
    void unknownSecurityValueNamesTheAllowedOnes(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("u.csv"), "EmailAddress,UserName,Password\na@b.c,a,p\n");
        int code = run("migrate", "--source-host", "a", "--source-security", "tls13", "--target-host", "b",
                "--users", csv.toString());
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("tls13").contains("none, ssl or starttls");
    }

    @Test
    void aMissingCsvFileIsAConfigurationError(@TempDir Path dir) {
        int code = run("migrate", "--source-host", "a", "--target-host", "b", "--target-admin", "admin",
                "--target-admin-password", "pw", "--users", dir.resolve("nope.csv").toString(),
                "--state", dir.resolve("state").toString());
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("nope.csv");
    }

    @Test
    void anInvalidCsvFileIsRejectedWithItsLineNumber(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("u.csv"), "EmailAddress,UserName\na@b.c,a\n");
        int code = run("migrate", "--source-host", "a", "--target-host", "b", "--target-admin", "admin",
                "--target-admin-password", "pw", "--users", csv.toString(), "--state", dir.resolve("state").toString());
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("Password").containsIgnoringCase("line 1");
    }

    @Test
    void withoutTargetAdministratorEveryRowNeedsTargetCredentials(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("u.csv"), "EmailAddress,UserName,Password\na@b.c,a,secret-pw\n");
        int code = run("migrate", "--source-host", "a", "--target-host", "b", "--users", csv.toString(),
                "--state", dir.resolve("state").toString());
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--target-admin").contains("TargetUserName").doesNotContain("secret-pw");
    }

    @Test
    void anAdministratorWithoutPasswordIsAUsageError(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("u.csv"), "EmailAddress,UserName,Password\na@b.c,a,p\n");
        int code = run("migrate", "--source-host", "a", "--target-host", "b", "--target-admin", "admin",
                "--users", csv.toString());
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("admin").contains("password");
    }

    @Test
    void aTooLongBatchNameIsAUsageError(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("u.csv"), "EmailAddress,UserName,Password\na@b.c,a,p\n");
        int code = run("migrate", "--source-host", "a", "--target-host", "b", "--target-admin", "admin",
                "--target-admin-password", "pw", "--users", csv.toString(), "--batch", "x".repeat(65));
        assertThat(code).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("64");
    }

    @Test
    void eachCommandHasHelp() {
        assertThat(run("migrate", "--help")).isZero();
        assertThat(out.toString()).contains("--source-host").contains("--target-admin").contains("Exit codes");
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--report-dir");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("migrate").contains("demo");
    }
}
