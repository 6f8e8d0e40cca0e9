package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationEvent;
import io.mailferry.core.MigrationListener;
import io.mailferry.core.MigrationService;
import io.mailferry.csv.CsvValidationException;
import io.mailferry.csv.MigrationCsvReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mailferry serve}: keeps the migration service running on the state, as Exchange's service
 * runs: batches left running continue, Waiting batches start at their StartAfter, synced batches
 * get an incremental pass every interval and complete at their CompleteAfter. Runs until
 * interrupted (Ctrl-C checkpoints and stops), or with {@code --until-settled} until every batch
 * is at rest.
 */
@Command(mixinStandardHelpOptions = true, name = "serve", sortOptions = false, description = {
        "Runs the migration service on the state until interrupted: running batches continue, StartAfter,"
                + " CompleteAfter and the incremental interval take effect, status changes are printed.",
        "Passwords: every endpoint's administrator password from MAILFERRY_PASSWORD_<ENDPOINT>, users' from --csv.",
        "With --smtp-host the batches' report e-mails go to their NotificationEmails (SMTP password from"
                + " MAILFERRY_SMTP_PASSWORD)."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;
    @Mixin
    EndpointCommands.State state;
    @Option(names = "--csv", paramLabel = "FILE", description = "Users CSV files giving the users' passwords back.")
    List<Path> csvFiles = new ArrayList<>();
    @Option(names = "--until-settled", description = "Exit once every batch is at rest.")
    boolean untilSettled;
    @Mixin
    SmtpOptions smtp;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MigrationListener printer = new MigrationListener() {
            @Override
            public void onBatchStatusChanged(MigrationEvent.BatchStatusChanged e) {
                out.printf("%s batch '%s': %s -> %s%n", e.time(), e.batchName(), e.previous(), e.current());
                out.flush();
            }

            @Override
            public void onUserStatusChanged(MigrationEvent.UserStatusChanged e) {
                out.printf("%s user %s: %s -> %s%s%n", e.time(), e.user().emailAddress(), e.previous(), e.user().status(),
                        e.user().error() == null ? "" : " (" + e.user().error() + ")");
                out.flush();
            }
        };
        try (StateSession s = StateSession.run(state.dir, printer, smtp.reporter(spec, out, java.time.Clock.systemUTC()))) {
            MigrationService service = s.service();
            for (MigrationEndpoint ep : service.endpoints()) {
                String pw = Secrets.endpointPassword(ep.name(), null, null);
                if (ep.admin().isPresent() && pw != null) {
                    service.setEndpoint(ep.toBuilder().adminCredentials(new Credentials(ep.admin().get().username(), pw))
                            .build());
                }
            }
            for (Path csv : csvFiles) {
                CsvValidationException invalid = null;
                boolean read = false;
                for (MigrationBatch b : service.batches()) {
                    // each batch reads the file in its source endpoint's format (IMAP, or EWS for Exchange)
                    try {
                        Secrets.supplyUsers(b, MigrationCsvReader.of(CsvType.AUTO.schema(b.sourceEndpoint().type()))
                                .read(csv).entries());
                        read = true;
                    } catch (CsvValidationException e) {
                        invalid = e;
                    }
                }
                if (!read && invalid != null) {
                    throw invalid;
                }
            }
            out.printf("Serving %d batch(es) from %s; Ctrl-C to stop.%n", service.batches().size(),
                    state.dir.toAbsolutePath());
            out.flush();
            while (true) {
                boolean allAtRest = true;
                for (MigrationBatch b : service.batches()) {
                    if (!b.awaitStatus(Duration.ofSeconds(1), BatchStatus::isSettled)) {
                        allAtRest = false;
                    }
                }
                if (untilSettled && allAtRest) {
                    out.println("Every batch is at rest.");
                    return MailFerryCli.EXIT_OK;
                }
                if (service.batches().isEmpty()) {
                    Thread.sleep(1000);
                }
            }
        }
    }
}
