package io.mailferry.cli;

import io.mailferry.cli.internal.BatchCommands;
import io.mailferry.cli.internal.DemoCommand;
import io.mailferry.cli.internal.EndpointCommands;
import io.mailferry.cli.internal.MigrateCommand;
import io.mailferry.cli.internal.ReportCommand;
import io.mailferry.cli.internal.ServeCommand;
import io.mailferry.cli.internal.UserCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        description = "Migrates mailboxes between mail systems, in the model of Exchange's migration batches.",
        subcommands = {MigrateCommand.class, EndpointCommands.class, BatchCommands.class, UserCommands.class,
                ServeCommand.class, ReportCommand.class, DemoCommand.class, CommandLine.HelpCommand.class,
                io.mailferry.cli.internal.BenchCopyCommand.class})
public final class MailFerryCli {

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
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    /** Returns a configured picocli command line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MailFerryCli());
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
