package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.NoSuchUserException;
import io.mailferry.core.UserOverrides;
import io.mailferry.csv.MigrationCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code mailferry user}: Get-, Set-, Start-, Stop-, Remove-MigrationUser and
 * {@code Set-MigrationUser -SyncNow} on the durable state. A user is found by its e-mail address
 * in whichever batch holds it (a mailbox belongs to one batch at a time).
 */
@Command(mixinStandardHelpOptions = true, name = "user", description = "Show, change, start, stop, sync and remove the users of batches.",
        subcommands = {UserCommands.Get.class, UserCommands.Set.class, UserCommands.Start.class,
                UserCommands.Stop.class, UserCommands.SyncNow.class, UserCommands.Remove.class})
public final class UserCommands {

    static MigrationBatch batchOf(MigrationService service, String email) {
        MigrationUser u = service.findUser(email).orElseThrow(() -> new NoSuchUserException(email, "any batch"));
        return service.getBatch(u.batchName());
    }

    /** {@code user get}. */
    @Command(mixinStandardHelpOptions = true, name = "get", description = {"Shows a user with its statistics (Get-MigrationUser,"
            + " Get-MigrationUserStatistics), or the users of a batch (--batch), or of every batch."})
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(arity = "0..1", paramLabel = "EMAIL", description = "The user's e-mail address.")
        String email;
        @Option(names = "--batch", paramLabel = "NAME", description = "The users of this batch.")
        String batch;
        @Option(names = "--skipped-items", description = "List the user's skipped items too.")
        boolean skipped;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationService service = s.service();
                if (email != null) {
                    MigrationBatch b = batchOf(service, email);
                    MigrationUser u = b.user(email).orElseThrow();
                    Show.user(out, u, b.skippedItems(email), skipped);
                } else if (batch != null) {
                    Show.users(out, service.getBatch(batch).users());
                } else {
                    Show.users(out, service.batches().stream().flatMap(b -> b.users().stream()).toList());
                }
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code user set}. */
    @Command(mixinStandardHelpOptions = true, name = "set", sortOptions = false, description = {
            "Sets a user's own StartAfter, CompleteAfter, BadItemLimit and LargeItemLimit (Set-MigrationUser),"
                    + " which override the batch's; 'none' returns to the batch's value."})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "EMAIL", description = "The user's e-mail address.")
        String email;
        @Option(names = "--start-after", paramLabel = "TIME|none", description = "The user's own StartAfter.")
        String startAfter;
        @Option(names = "--complete-after", paramLabel = "TIME|none", description = "The user's own CompleteAfter.")
        String completeAfter;
        @Option(names = "--bad-item-limit", paramLabel = "N|Unlimited|none", description = "The user's own BadItemLimit.")
        String badItemLimit;
        @Option(names = "--large-item-limit", paramLabel = "N|Unlimited|none",
                description = "The user's own LargeItemLimit.")
        String largeItemLimit;

        @Override
        public Integer call() {
            Clock clock = Clock.systemUTC();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationBatch b = batchOf(s.service(), email);
                MigrationUser u;
                try {
                    u = b.setUser(email, o -> {
                        UserOverrides next = o;
                        if (startAfter != null) {
                            next = next.withStartAfter(Values.instantOrNone(startAfter, clock));
                        }
                        if (completeAfter != null) {
                            next = next.withCompleteAfter(Values.instantOrNone(completeAfter, clock));
                        }
                        if (badItemLimit != null) {
                            next = next.withBadItemLimit(limitOrNone(badItemLimit));
                        }
                        if (largeItemLimit != null) {
                            next = next.withLargeItemLimit(limitOrNone(largeItemLimit));
                        }
                        return next;
                    });
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                spec.commandLine().getOut().printf("Changed user %s: %s.%n", u.emailAddress(), u.overrides());
            }
            return MailFerryCli.EXIT_OK;
        }

        private static ItemLimit limitOrNone(String text) {
            return text.trim().equalsIgnoreCase("none") ? null : Values.limit(text);
        }
    }

    /** Base of the user commands that copy. */
    abstract static class Running implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "EMAIL", description = "The user's e-mail address.")
        String email;
        @Mixin
        BatchCommands.RunMixin run;

        abstract void give(MigrationBatch batch, String email);

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.run(state.dir, null)) {
                MigrationBatch batch = batchOf(s.service(), email);
                MigrationCsv csv = run.readCsv(spec, batch.sourceEndpoint().type());
                run.supply(s.service(), batch, csv, out);
                give(batch, email);
                return run.finish(batch, out);
            }
        }
    }

    /** {@code user start}. */
    @Command(mixinStandardHelpOptions = true, name = "start", sortOptions = false, description = {"Resumes a stopped user or retries a failed one"
            + " (Start-MigrationUser) and waits until its batch is at rest (unless --no-wait)."})
    static final class Start extends Running {
        @Override
        void give(MigrationBatch batch, String email) {
            batch.startUser(email);
        }
    }

    /** {@code user sync-now}. */
    @Command(mixinStandardHelpOptions = true, name = "sync-now", sortOptions = false, description = {"Runs an incremental pass of a synced user now"
            + " (Set-MigrationUser -SyncNow) and waits for it."})
    static final class SyncNow extends Running {
        @Override
        void give(MigrationBatch batch, String email) {
            batch.syncUserNow(email);
        }
    }

    /** A user command that only changes state. */
    abstract static class Changing implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        EndpointCommands.State state;
        @Parameters(paramLabel = "EMAIL", description = "The user's e-mail address.")
        String email;

        abstract void give(MigrationBatch batch, String email);

        abstract String done();

        @Override
        public Integer call() {
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationBatch batch = batchOf(s.service(), email);
                give(batch, email);
                spec.commandLine().getOut().printf("%s user %s of batch '%s'.%n", done(), email, batch.name());
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code user stop}. */
    @Command(mixinStandardHelpOptions = true, name = "stop", description = "Stops a user (Stop-MigrationUser); user start resumes it.")
    static final class Stop extends Changing {
        @Override
        void give(MigrationBatch batch, String email) {
            batch.stopUser(email);
        }

        @Override
        String done() {
            return "Stopped";
        }
    }

    /** {@code user remove}. */
    @Command(mixinStandardHelpOptions = true, name = "remove", description = {"Removes a user from its batch (Remove-MigrationUser).",
            "Its folder checkpoints stay: adding it again copies nothing twice."})
    static final class Remove extends Changing {
        @Override
        void give(MigrationBatch batch, String email) {
            batch.removeUser(email);
        }

        @Override
        String done() {
            return "Removed";
        }
    }
}
