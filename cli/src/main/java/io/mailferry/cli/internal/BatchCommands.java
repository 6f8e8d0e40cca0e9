package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.EndpointType;
import io.mailferry.core.BatchPriority;
import io.mailferry.core.BatchStatus;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchBuilder;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;
import io.mailferry.csv.RejectedRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code mailferry batch}: New-, Get-, Set-, Start-, Stop-, Complete-, Remove-MigrationBatch and
 * {@code Set-MigrationBatch -SyncNow} on the durable state.
 */
@Command(mixinStandardHelpOptions = true, name = "batch", description = "Create, show, change, start, stop, complete and remove migration batches.",
        subcommands = {BatchCommands.New.class, BatchCommands.Get.class, BatchCommands.Set.class,
                BatchCommands.Start.class, BatchCommands.Stop.class, BatchCommands.Complete.class,
                BatchCommands.Remove.class, BatchCommands.SyncNow.class})
public final class BatchCommands {

    /** The batch options of {@code new} and {@code set}; options not given keep their value. */
    static final class OptionsMixin {
        @Option(names = "--auto-start", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
                description = "Start the batch as soon as it is created (and wait for it).")
        Boolean autoStart;
        @Option(names = "--auto-complete", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
                description = "Complete each user as soon as its initial sync is done.")
        Boolean autoComplete;
        @Option(names = "--start-after", paramLabel = "TIME|none",
                description = "No data moves before this time (e.g. 2024-06-01T08:00:00Z; without zone: UTC).")
        String startAfter;
        @Option(names = "--complete-after", paramLabel = "TIME|none",
                description = "Complete the batch by itself once synced and past this time.")
        String completeAfter;
        @Option(names = "--allow-incremental-syncs", paramLabel = "true|false", arity = "1",
                description = "Incremental passes after initial sync (default true; false: Stopped after initial sync).")
        Boolean allowIncrementalSyncs;
        @Option(names = "--incremental-interval", paramLabel = "DURATION", converter = Values.DurationConverter.class,
                description = "Time between incremental passes (default 24h).")
        Duration incrementalInterval;
        @Option(names = "--bad-item-limit", paramLabel = "N|Unlimited", converter = Values.LimitConverter.class,
                description = "Corrupt or refused messages tolerated per user (default 0).")
        ItemLimit badItemLimit;
        @Option(names = "--large-item-limit", paramLabel = "N|Unlimited", converter = Values.LimitConverter.class,
                description = "Too-large messages tolerated per user (default 0).")
        ItemLimit largeItemLimit;
        @Option(names = "--max-message-size", paramLabel = "BYTES",
                description = "Largest message copied, in bytes; 0 = no limit (default 150 MiB).")
        Long maxMessageSize;
        @Option(names = "--include-folders", paramLabel = "PATTERNS",
                description = "Comma-separated folders to copy, e.g. '#Inbox#/*,Projects' (Exchange's grammar); none = all.")
        String includeFolders;
        @Option(names = "--exclude-folders", paramLabel = "PATTERNS",
                description = "Comma-separated folders not to copy, e.g. '#JunkEmail#,#DeletedItems#/*'.")
        String excludeFolders;
        @Option(names = "--received-after", paramLabel = "TIME|none",
                description = "Copy only messages received (INTERNALDATE) at or after this time.")
        String receivedAfter;
        @Option(names = "--received-before", paramLabel = "TIME|none",
                description = "Copy only messages received before this time.")
        String receivedBefore;
        @Option(names = "--notification-emails", paramLabel = "ADDRESSES",
                description = "Comma-separated report recipients; none to clear.")
        String notificationEmails;
        @Option(names = "--report-interval", paramLabel = "DURATION", converter = Values.DurationConverter.class,
                description = "How often reports fall due (default 24h; 0 = never).")
        Duration reportInterval;
        @Option(names = "--priority", paramLabel = "PRIORITY", converter = Values.PriorityConverter.class,
                description = "lowest, lower, low, normal (default), high, higher, highest, emergency.")
        BatchPriority priority;

        UnaryOperator<BatchOptions.Builder> changes(Clock clock) {
            return b -> {
                if (autoStart != null) {
                    b.autoStart(autoStart);
                }
                if (autoComplete != null) {
                    b.autoComplete(autoComplete);
                }
                if (startAfter != null) {
                    b.startAfter(Values.instantOrNone(startAfter, clock));
                }
                if (completeAfter != null) {
                    b.completeAfter(Values.instantOrNone(completeAfter, clock));
                }
                if (allowIncrementalSyncs != null) {
                    b.allowIncrementalSyncs(allowIncrementalSyncs);
                }
                if (incrementalInterval != null) {
                    b.incrementalSyncInterval(incrementalInterval);
                }
                if (badItemLimit != null) {
                    b.badItemLimit(badItemLimit);
                }
                if (largeItemLimit != null) {
                    b.largeItemLimit(largeItemLimit);
                }
                if (maxMessageSize != null) {
                    b.maxMessageSize(maxMessageSize);
                }
                if (includeFolders != null) {
                    b.includeFolders(Values.list(includeFolders));
                }
                if (excludeFolders != null) {
                    b.excludeFolders(Values.list(excludeFolders));
                }
                if (receivedAfter != null) {
                    b.receivedAfter(Values.instantOrNone(receivedAfter, clock));
                }
                if (receivedBefore != null) {
                    b.receivedBefore(Values.instantOrNone(receivedBefore, clock));
                }
                if (notificationEmails != null) {
                    b.notificationEmails(Values.list(notificationEmails));
                }
                if (reportInterval != null) {
                    b.reportInterval(reportInterval);
                }
                if (priority != null) {
                    b.priority(priority);
                }
                return b;
            };
        }
    }

    /** Passwords and waiting, for the commands that copy. */
    static final class RunMixin {
        @Option(names = "--csv", paramLabel = "FILE",
                description = "The batch's users CSV, to give the users' passwords back (the state keeps none).")
        Path csv;
        @Option(names = "--allow-unknown-columns", description = "Ignore CSV columns MailFerry does not know.")
        boolean allowUnknownColumns;
        @Option(names = "--csv-type", paramLabel = "auto|imap|staged|remote", defaultValue = "auto",
                converter = CsvType.Converter.class,
                description = "The CSV's format (default auto: imap for an IMAP source endpoint, remote, the EWS format"
                        + " EmailAddress[,BadItemLimit,LargeItemLimit,MailboxType], for an Exchange source).")
        CsvType csvType = CsvType.AUTO;
        @Option(names = "--source-admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
                description = "Password of the source endpoint's administrator (or MAILFERRY_PASSWORD_<ENDPOINT>,"
                        + " MAILFERRY_SOURCE_ADMIN_PASSWORD).")
        String sourceAdminPassword;
        @Option(names = "--target-admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
                description = "Password of the target endpoint's administrator (or MAILFERRY_PASSWORD_<ENDPOINT>,"
                        + " MAILFERRY_TARGET_ADMIN_PASSWORD).")
        String targetAdminPassword;
        @Option(names = "--no-wait",
                description = "Return once the command is given instead of waiting until the batch is at rest;"
                        + " the next command that copies continues the work.")
        boolean noWait;
        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;

        /**
         * Reads the CSV, if given, in the format of {@code --csv-type}.
         *
         * @param source the type of the batch's source endpoint (for {@link CsvType#AUTO})
         */
        MigrationCsv readCsv(CommandSpec spec, EndpointType source) {
            if (csv == null) {
                return null;
            }
            return MigrationCsvReader.of(csvType.schema(source)).withAllowUnknownColumns(allowUnknownColumns).read(csv);
        }

        /** Gives the passwords at hand back to the service and the batch. */
        void supply(MigrationService service, MigrationBatch batch, MigrationCsv users, PrintWriter out) {
            Secrets.supplyEndpoints(service, batch, sourceAdminPassword, targetAdminPassword, out);
            if (users != null) {
                Secrets.supplyUsers(batch, users.entries());
            }
        }

        /** Waits until the batch is at rest (unless --no-wait), prints the users and returns the exit code. */
        int finish(MigrationBatch batch, PrintWriter out) throws InterruptedException {
            if (noWait) {
                out.printf("Batch '%s' is %s.%n", batch.name(), batch.status().displayName());
                return MailFerryCli.EXIT_OK;
            }
            if (batch.status() == BatchStatus.WAITING) {
                out.printf("Batch '%s' waits for its StartAfter time %s; waiting (Ctrl-C leaves it waiting).%n",
                        batch.name(), batch.options().startAfter());
            }
            ProgressReporter progress = quiet ? null : new ProgressReporter(out, System.console() != null);
            while (!batch.awaitStatus(Duration.ofSeconds(1), s -> s.isSettled() || s == BatchStatus.REMOVING)) {
                if (progress != null) {
                    progress.tick(batch);
                }
            }
            if (progress != null) {
                progress.tick(batch);
                progress.finish();
            }
            out.println();
            List<MigrationUser> users = batch.users();
            Show.users(out, users);
            out.printf("%nBatch '%s' is %s.%n", batch.name(), batch.status().displayName());
            boolean failed = users.stream().anyMatch(u -> u.status().isFailed())
                    || batch.status() == BatchStatus.FAILED;
            return failed ? MailFerryCli.EXIT_USERS_FAILED : MailFerryCli.EXIT_OK;
        }
    }

    /** {@code batch new}. */
    @Command(mixinStandardHelpOptions = true, name = "new", sortOptions = false, description = {
            "Creates a batch from a users CSV (New-MigrationBatch), in status Created; with --auto-start it starts"
                    + " and the command waits until the batch is at rest.",
            "The CSV is the Exchange IMAP format (EmailAddress,UserName,Password[,UserRoot,TargetUserName,TargetPassword])."
                    + " Rows that fail validation are listed and left out.",
            "Exit codes: 0 done; 1 usage or configuration error; 2 a CSV row was rejected or a user failed."})
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Batch name, at most 64 characters.")
        String name;
        @Option(names = "--source-endpoint", required = true, paramLabel = "NAME", description = "Endpoint to copy from.")
        String source;
        @Option(names = "--target-endpoint", required = true, paramLabel = "NAME", description = "Endpoint to copy to.")
        String target;
        @Mixin
        OptionsMixin options;
        @Mixin
        RunMixin run;
        @Mixin
        SmtpOptions smtp;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (run.csv == null) {
                throw new ParameterException(spec.commandLine(), "Missing required option: '--csv=FILE'");
            }
            boolean autoStart = Boolean.TRUE.equals(options.autoStart);
            try (StateSession s = autoStart
                    ? StateSession.run(state.dir, null, smtp.reporter(spec, out, Clock.systemUTC()))
                    : StateSession.inspect(state.dir)) {
                MigrationService service = s.service();
                MigrationCsv csv = run.readCsv(spec, service.getEndpoint(source).type());
                BatchOptions built;
                try {
                    built = options.changes(Clock.systemUTC()).apply(BatchOptions.builder()).build();
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                MigrationBatchBuilder b = service.newBatch(name).sourceEndpoint(source).targetEndpoint(target)
                        .users(Secrets.oauthTargets(csv.entries(), service.getEndpoint(target)))
                        .options(built.toBuilder().autoStart(false).build())
                        .createdBy(System.getProperty("user.name"));
                MigrationBatch batch = b.create();
                out.printf("Created batch '%s' with %d user(s).%n", batch.name(), csv.entries().size());
                int rejected = printRejected(out, csv.rejectedRows());
                if (!autoStart) {
                    return rejected > 0 ? MailFerryCli.EXIT_USERS_FAILED : MailFerryCli.EXIT_OK;
                }
                if (s.reporter() != null) {
                    s.reporter().rejectedRows(batch.name(), csv.rejectedRows());
                }
                Secrets.supplyEndpoints(service, batch, run.sourceAdminPassword, run.targetAdminPassword, out);
                batch.start();
                int code = run.finish(batch, out);
                return rejected > 0 ? MailFerryCli.EXIT_USERS_FAILED : code;
            }
        }
    }

    static int printRejected(PrintWriter out, List<RejectedRow> rejected) {
        for (RejectedRow r : rejected) {
            out.printf("Rejected CSV row: %s%n", r.message());
        }
        return rejected.size();
    }

    /** {@code batch get}. */
    @Command(mixinStandardHelpOptions = true, name = "get", description = "Shows the batches (Get-MigrationBatch), or one with its users.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "A batch (default: all).")
        String name;
        @Option(names = "--status", paramLabel = "STATUS", description = "Only batches in this status.")
        String status;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationService service = s.service();
                if (name == null) {
                    BatchStatus only = status == null ? null : parseStatus(spec, status);
                    Show.batches(out, service.batches().stream().filter(b -> only == null || b.status() == only).toList());
                } else {
                    MigrationBatch b = service.getBatch(name);
                    Show.batch(out, b);
                    out.println();
                    Show.users(out, b.users());
                }
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    static BatchStatus parseStatus(CommandSpec spec, String text) {
        try {
            return BatchStatus.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** {@code batch set}. */
    @Command(mixinStandardHelpOptions = true, name = "set", sortOptions = false, description = {
            "Changes a batch's options (Set-MigrationBatch); options not given keep their value.",
            "--add-users adds the CSV's new rows (Set-MigrationBatch -AddUsers)."})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "NAME", description = "The batch.")
        String name;
        @Mixin
        OptionsMixin options;
        @Option(names = "--add-users", paramLabel = "FILE", description = "A users CSV whose new rows are added.")
        Path addUsers;
        @Option(names = "--allow-unknown-columns", description = "Ignore CSV columns MailFerry does not know.")
        boolean allowUnknownColumns;
        @Option(names = "--csv-type", paramLabel = "auto|imap|staged|remote", defaultValue = "auto",
                converter = CsvType.Converter.class,
                description = "The --add-users CSV's format (default auto: from the batch's source endpoint).")
        CsvType csvType = CsvType.AUTO;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationBatch batch = s.service().getBatch(name);
                MigrationCsv csv = addUsers == null ? null
                        : MigrationCsvReader.of(csvType.schema(batch.sourceEndpoint().type()))
                                .withAllowUnknownColumns(allowUnknownColumns).read(addUsers);
                try {
                    batch.set(options.changes(Clock.systemUTC()));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                int rejected = 0;
                if (csv != null) {
                    List<MigrationUser> added = batch.addUsers(Secrets.oauthTargets(csv.entries(),
                            batch.targetEndpoint()));
                    out.printf("Added %d user(s).%n", added.size());
                    rejected = printRejected(out, csv.rejectedRows());
                }
                out.printf("Changed batch '%s' (%s).%n", batch.name(), batch.status().displayName());
                return rejected > 0 ? MailFerryCli.EXIT_USERS_FAILED : MailFerryCli.EXIT_OK;
            }
        }
    }

    /** Base of the commands that copy: open the state resuming, give the passwords back, run, wait. */
    abstract static class Running implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "NAME", description = "The batch.")
        String name;
        @Mixin
        RunMixin run;
        @Mixin
        SmtpOptions smtp;

        abstract void give(MigrationBatch batch);

        abstract String done();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.run(state.dir, null, smtp.reporter(spec, out, Clock.systemUTC()))) {
                MigrationBatch batch = s.service().getBatch(name);
                MigrationCsv csv = run.readCsv(spec, batch.sourceEndpoint().type());
                if (s.reporter() != null && csv != null) {
                    s.reporter().rejectedRows(batch.name(), csv.rejectedRows());
                }
                run.supply(s.service(), batch, csv, out);
                give(batch);
                out.printf("%s batch '%s'.%n", done(), batch.name());
                out.flush();
                return run.finish(batch, out);
            }
        }
    }

    /** {@code batch start}. */
    @Command(mixinStandardHelpOptions = true, name = "start", sortOptions = false, description = {
            "Starts a batch (Start-MigrationBatch): a created batch starts, a stopped one resumes, a batch with failed"
                    + " users retries them. Waits until the batch is at rest (unless --no-wait).",
            "Give the users' passwords back with --csv and the administrators' with the options or environment.",
            "Exit codes: 0 done; 1 usage or configuration error; 2 a user failed."})
    static final class Start extends Running {
        @Override
        void give(MigrationBatch batch) {
            if (batch.status().isActive()) {
                return; // left running by an interrupted command: it continues
            }
            batch.start();
        }

        @Override
        String done() {
            return "Started";
        }
    }

    /** {@code batch sync-now}. */
    @Command(mixinStandardHelpOptions = true, name = "sync-now", sortOptions = false, description = {
            "Runs an incremental pass now for every synced user (Set-MigrationBatch -SyncNow) and waits for it.",
            "Exit codes: 0 done; 1 usage or configuration error; 2 a user failed."})
    static final class SyncNow extends Running {
        @Override
        void give(MigrationBatch batch) {
            batch.syncNow();
        }

        @Override
        String done() {
            return "Syncing";
        }
    }

    /** {@code batch complete}. */
    @Command(mixinStandardHelpOptions = true, name = "complete", sortOptions = false, description = {
            "Completes a batch (Complete-MigrationBatch): a final incremental pass for every synced user, then"
                    + " Completed (or CompletedWithErrors). Waits for it.",
            "Exit codes: 0 done; 1 usage or configuration error; 2 a user failed."})
    static final class Complete extends Running {
        @Override
        void give(MigrationBatch batch) {
            batch.complete();
        }

        @Override
        String done() {
            return "Completing";
        }
    }

    /** {@code batch stop}. */
    @Command(mixinStandardHelpOptions = true, name = "stop", description = "Stops a batch (Stop-MigrationBatch); its progress is kept and start resumes it.")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "NAME", description = "The batch.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationBatch batch = s.service().getBatch(name);
                batch.stop();
                batch.awaitStatus(Duration.ofMinutes(1), BatchStatus::isSettled);
                spec.commandLine().getOut().printf("Batch '%s' is %s.%n", batch.name(), batch.status().displayName());
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code batch remove}. */
    @Command(mixinStandardHelpOptions = true, name = "remove", description = {"Removes a batch (Remove-MigrationBatch) with its users and reports.",
            "The folder checkpoints stay: migrating a user again in a new batch copies nothing twice."})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "NAME", description = "The batch.")
        String name;

        @Override
        public Integer call() {
            try (StateSession s = StateSession.inspect(state.dir)) {
                s.service().getBatch(name).remove();
                spec.commandLine().getOut().printf("Removed batch '%s'.%n", name);
            }
            return MailFerryCli.EXIT_OK;
        }
    }
}
