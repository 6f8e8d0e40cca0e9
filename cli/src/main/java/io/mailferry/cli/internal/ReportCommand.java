package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationUser;
import io.mailferry.csv.MigrationCsvReader;
import io.mailferry.csv.MigrationReports;
import io.mailferry.csv.RejectedRow;
import io.mailferry.notification.BatchReporter;
import io.mailferry.notification.ReportDelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code mailferry report}: writes a batch's reports from the state ({@code MigrationStatistics.csv},
 * {@code MigrationErrors.csv}, {@code SkippedItems/<user>.csv}) and, with {@code --email}, sends the
 * report e-mail to the batch's NotificationEmails now.
 */
@Command(mixinStandardHelpOptions = true, name = "report", sortOptions = false, description = {
        "Writes a batch's reports from the state: MigrationStatistics.csv, MigrationErrors.csv and one"
                + " SkippedItems/<user>.csv per user with skipped messages. Cells a spreadsheet would run as a"
                + " formula are escaped; no password is ever written.",
        "With --email the report e-mail (summary, both CSV files attached) goes to the batch's NotificationEmails"
                + " through --smtp-host (SMTP password from MAILFERRY_SMTP_PASSWORD).",
        "Exit codes: 0 done; 1 usage or configuration error; 2 the e-mail could not be sent."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    EndpointCommands.State state;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The batch.")
    String name;
    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "mailferry-reports",
            description = "Where to write the reports (default ${DEFAULT-VALUE}); files of the same names are replaced.")
    Path reportDir;
    @Option(names = "--csv", paramLabel = "FILE",
            description = "The batch's users CSV: its rows that fail validation are listed in MigrationErrors.csv.")
    Path csv;
    @Option(names = "--allow-unknown-columns", description = "Ignore CSV columns MailFerry does not know.")
    boolean allowUnknownColumns;
    @Option(names = "--email", description = "Also e-mail the report to the batch's NotificationEmails.")
    boolean email;
    @Mixin
    SmtpOptions smtp;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (email && !smtp.configured()) {
            throw new ParameterException(spec.commandLine(), "--email needs --smtp-host");
        }
        BatchReporter reporter = email ? smtp.reporter(spec, out, Clock.systemUTC()) : null;
        try (StateSession s = reporter == null ? StateSession.inspect(state.dir)
                : StateSession.inspect(state.dir, reporter)) {
            MigrationBatch batch = s.service().getBatch(name);
            List<RejectedRow> rejected = csv == null ? List.of()
                    : MigrationCsvReader.of(CsvType.AUTO.schema(batch.sourceEndpoint().type()))
                            .withAllowUnknownColumns(allowUnknownColumns).read(csv).rejectedRows();
            List<MigrationUser> users = batch.users();
            List<Path> files = MigrationReports.writeAll(reportDir, users, rejected, batch::skippedItems);
            out.printf("Wrote %d report file(s) of batch '%s' (%s, %d user(s)) to %s.%n", files.size(), batch.name(),
                    batch.status().displayName(), users.size(), reportDir.toAbsolutePath());
            for (Path f : files) {
                out.printf("  %s%n", reportDir.relativize(f));
            }
            if (!email) {
                return MailFerryCli.EXIT_OK;
            }
            if (batch.options().notificationEmails().isEmpty()) {
                throw new ParameterException(spec.commandLine(), "batch '" + name + "' has no NotificationEmails:"
                        + " set them with 'mailferry batch set " + name + " --notification-emails ADDRESSES'");
            }
            reporter.rejectedRows(name, rejected);
            ReportDelivery d = reporter.sendNow(name).get(10, TimeUnit.MINUTES);
            return d.sent() ? MailFerryCli.EXIT_OK : MailFerryCli.EXIT_USERS_FAILED;
        } finally {
            if (reporter != null) {
                reporter.close();
            }
        }
    }
}
