package io.mailferry.cli;

import io.mailferry.cli.internal.BatchCommands;
import io.mailferry.cli.internal.BenchCopyCommand;
import io.mailferry.cli.internal.DemoCommand;
import io.mailferry.cli.internal.EndpointCommands;
import io.mailferry.cli.internal.MigrateCommand;
import io.mailferry.cli.internal.ReportCommand;
import io.mailferry.cli.internal.ServeCommand;
import io.mailferry.cli.internal.UserCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the {@code mailferry} command.
 *
 * <p>Commands: {@code migrate} (one batch from a CSV, start to finish), {@code endpoint},
 * {@code batch} and {@code user} (the Exchange cmdlets' New/Get/Set/Start/Stop/Complete/Remove/Test
 * on the durable state under {@code --state}), {@code serve} (keep the service running: schedules
 * and incremental passes), {@code report} (a batch's CSV reports from the state, optionally
 * e-mailed) and {@code demo}. Commands that run batches send the batches' report e-mails with
 * {@code --smtp-host}.
 *
 * <p>Exit codes: {@value #EXIT_OK} done (every user Synced); {@value #EXIT_USAGE} usage or
 * configuration error, or a command the batch's status does not allow (the message says what is
 * wrong); {@value #EXIT_USERS_FAILED} at least one user failed, a CSV row was rejected, or an
 * endpoint test failed, or a report e-mail could not be sent ({@code report --email}).
 */
@Command(name = "mailferry",
        mixinStandardHelpOptions = true,
        versionProvider = MailFerryCli.Version.class,
        description = "Migrates mailboxes between mail systems, in the model of Exchange's migration batches.")
public final class MailFerryCli {

    /**
     * The subcommands by name, in the order the help lists them. picocli builds a command's model
     * from its annotations by reflection (about 0.2 s of CPU for all of them on a cold JVM), so
     * {@link #run} builds only the one the command line names; {@link #commandLine()} builds all.
     * {@code MailFerryCliTest} checks that each name is its class's {@code @Command(name)}.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("migrate", MigrateCommand.class);
        m.put("endpoint", EndpointCommands.class);
        m.put("batch", BatchCommands.class);
        m.put("user", UserCommands.class);
        m.put("serve", ServeCommand.class);
        m.put("report", ReportCommand.class);
        m.put("demo", DemoCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        m.put("bench-copy", BenchCopyCommand.class);
        return Collections.unmodifiableMap(m);
    }

    /** Every user is Synced. */
    public static final int EXIT_OK = 0;
    /** Usage or configuration error. */
    public static final int EXIT_USAGE = 1;
    /** At least one user failed, or a CSV row was rejected. */
    public static final int EXIT_USERS_FAILED = 2;

    private MailFerryCli() {
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests and embedding).
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        return cl.execute(args);
    }

    /** Returns a configured picocli command line with every subcommand. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * Returns a configured picocli command line with only the subcommand {@code first} names, or
     * with all of them when {@code first} names none (an option such as {@code --help}, an unknown
     * word, {@code help}: picocli then lists or suggests commands from the full set).
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new MailFerryCli());
        Class<?> only = first == null || first.equals("help") ? null : SUBCOMMANDS.get(first);
        if (only != null) {
            cl.addSubcommand(first, only);
        } else {
            SUBCOMMANDS.forEach(cl::addSubcommand);
        }
        cl.setExitCodeExceptionMapper(t -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("mailferry: " + ex.getMessage());
            c.getErr().println("Run 'mailferry " + (c.getCommandName().equals("mailferry") ? "" : c.getCommandName() + " ")
                    + "--help' for usage.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("mailferry: " + ex.getMessage());
            return EXIT_USAGE;
        });
        return cl;
    }

    /** Reads the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = MailFerryCli.class.getPackage().getImplementationVersion();
            return new String[]{"mailferry " + (v != null ? v : "(development build)")};
        }
    }
}
