package io.mailferry.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line builds only the subcommand it runs, and the full set where it lists or suggests commands. */
class MailFerryCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cl = MailFerryCli.commandLine(args.length > 0 ? args[0] : null);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void everySubcommandIsRegisteredUnderItsAnnotatedName() {
        MailFerryCli.SUBCOMMANDS.forEach((name, type) -> {
            CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
            assertThat(command).as(type.getName()).isNotNull();
            assertThat(command.name()).as(type.getName()).isEqualTo(name);
        });
        Map<String, CommandLine> all = MailFerryCli.commandLine().getSubcommands();
        assertThat(all.keySet()).containsExactlyElementsOf(MailFerryCli.SUBCOMMANDS.keySet());
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(MailFerryCli.commandLine("bench-copy").getSubcommands()).containsOnlyKeys("bench-copy");
        assertThat(MailFerryCli.commandLine("batch").getSubcommands()).containsOnlyKeys("batch");
        assertThat(MailFerryCli.commandLine("batch").getSubcommands().get("batch").getSubcommands()).isNotEmpty();
    }

    @Test
    void optionsHelpAndUnknownWordsGetEverySubcommand() {
        assertThat(MailFerryCli.commandLine("--help").getSubcommands()).hasSameSizeAs(MailFerryCli.SUBCOMMANDS);
        assertThat(MailFerryCli.commandLine("help").getSubcommands()).hasSameSizeAs(MailFerryCli.SUBCOMMANDS);
        assertThat(MailFerryCli.commandLine("migrat").getSubcommands()).hasSameSizeAs(MailFerryCli.SUBCOMMANDS);
        assertThat(MailFerryCli.commandLine((String) null).getSubcommands()).hasSameSizeAs(MailFerryCli.SUBCOMMANDS);
    }

    @Test
    void topLevelHelpListsTheCommandsButNotTheHiddenHook() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).contains("migrate", "endpoint", "batch", "user", "serve", "report", "demo")
                .doesNotContain("bench-copy");
    }

    @Test
    void helpOfASubcommandBuiltAloneNamesItsParent() {
        assertThat(execute("batch", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: mailferry batch");
        assertThat(execute("help", "user")).isZero();
        assertThat(out.toString()).contains("Usage: mailferry user");
    }

    @Test
    void aMistypedCommandIsAUsageError() {
        assertThat(execute("migrat")).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("Unmatched argument").contains("'migrat'").contains("mailferry --help");
    }

    @Test
    void aSubcommandBuiltAloneReportsItsUsageErrors() {
        assertThat(execute("migrate", "--source-host", "a")).isEqualTo(MailFerryCli.EXIT_USAGE);
        assertThat(err.toString()).contains("Missing required option").contains("'--users=FILE'")
                .contains("mailferry migrate --help");
    }
}
