package io.mailferry.cli.internal;

import io.mailferry.cli.MailFerryCli;
import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.ServerAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mailferry endpoint}: New-, Get-, Set-, Remove-MigrationEndpoint and
 * Test-MigrationServerAvailability on the durable state.
 */
@Command(mixinStandardHelpOptions = true, name = "endpoint", description = "Create, show, change, remove and test migration endpoints.",
        subcommands = {EndpointCommands.New.class, EndpointCommands.Get.class, EndpointCommands.Set.class,
                EndpointCommands.Remove.class, EndpointCommands.Test.class})
public final class EndpointCommands {

    /** {@code --state DIR}, shared by every command on the durable state. */
    static final class State {
        @Option(names = "--state", paramLabel = "DIR", defaultValue = "mailferry-state",
                description = "Directory of the durable migration state (default ${DEFAULT-VALUE}).")
        Path dir;
    }

    /** {@code endpoint new}. */
    @Command(mixinStandardHelpOptions = true, name = "new", sortOptions = false, description = {
            "Creates an IMAP endpoint, or with --type exchange an Exchange (EWS) endpoint (New-MigrationEndpoint)."
                    + " It is tested first (connect, TLS, authentication; Exchange: impersonation rights and server"
                    + " version) unless --skip-verification.",
            "The administrator password is not stored: commands that copy take it again (option or environment)."})
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        State state;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The endpoint's name.")
        String name;
        @Mixin
        EndpointOptions options;
        @Option(names = "--skip-verification", description = "Create it without a connection test.")
        boolean skipVerification;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            MigrationEndpoint ep = build(spec, () -> options.build(name, null));
            try (StateSession s = StateSession.inspect(state.dir)) {
                s.service().newEndpoint(ep, skipVerification);
                out.printf("Created endpoint '%s' (%s, %s)%s.%n", ep.name(), ep.type().name(), Show.server(ep),
                        skipVerification ? ", not tested" : ", connection tested");
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code endpoint get}. */
    @Command(mixinStandardHelpOptions = true, name = "get", description = "Shows the endpoints (Get-MigrationEndpoint), or one.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        State state;
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "An endpoint (default: all).")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationService service = s.service();
                Show.endpoints(out, name == null ? service.endpoints() : java.util.List.of(service.getEndpoint(name)));
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code endpoint set}. */
    @Command(mixinStandardHelpOptions = true, name = "set", sortOptions = false, description = {
            "Changes an endpoint (Set-MigrationEndpoint); options not given keep their value.",
            "Refused while a batch using the endpoint is running."})
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        State state;
        @Parameters(paramLabel = "NAME", description = "The endpoint.")
        String name;
        @Mixin
        EndpointOptions options;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationEndpoint current = s.service().getEndpoint(name);
                MigrationEndpoint next = build(spec, () -> options.build(name, current));
                s.service().setEndpoint(next);
                out.printf("Changed endpoint '%s'.%n", name);
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code endpoint remove}. */
    @Command(mixinStandardHelpOptions = true, name = "remove", description = "Removes an endpoint (Remove-MigrationEndpoint); refused while a batch uses it.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        State state;
        @Parameters(paramLabel = "NAME", description = "The endpoint.")
        String name;

        @Override
        public Integer call() {
            try (StateSession s = StateSession.inspect(state.dir)) {
                s.service().removeEndpoint(name);
                spec.commandLine().getOut().printf("Removed endpoint '%s'.%n", name);
            }
            return MailFerryCli.EXIT_OK;
        }
    }

    /** {@code endpoint test}. */
    @Command(mixinStandardHelpOptions = true, name = "test", sortOptions = false, description = {
            "Tests an endpoint (Test-MigrationServerAvailability): connects, negotiates TLS, lists capabilities;"
                    + " logs in with --user/--password, or opens --mailbox through the endpoint's administrator.",
            "Test a saved endpoint by NAME, or settings given as options (nothing is saved).",
            "Exit codes: 0 success, 2 the test failed (the result says why)."})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        State state;
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "A saved endpoint.")
        String name;
        @Mixin
        EndpointOptions options;
        @Option(names = "--user", paramLabel = "USER", description = "Log in as this user.")
        String user;
        @Option(names = "--password", paramLabel = "PASS", arity = "0..1", interactive = true,
                description = "The user's password (prompted when given without a value).")
        String password;
        @Option(names = "--mailbox", paramLabel = "MAILBOX",
                description = "Open this mailbox through the endpoint's administrator and impersonation.")
        String mailbox;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (StateSession s = StateSession.inspect(state.dir)) {
                MigrationService service = s.service();
                MigrationEndpoint ep = name != null ? build(spec, () -> options.build(name, service.getEndpoint(name)))
                        : build(spec, () -> options.build("(options)", null));
                ServerAvailability r;
                if (user != null) {
                    if (password == null) {
                        throw new ParameterException(spec.commandLine(), "--user needs --password");
                    }
                    r = service.testServerAvailability(ep, new Credentials(user, password));
                } else if (mailbox != null) {
                    if (ep.admin().isEmpty() || ep.admin().get().password().isEmpty()) {
                        throw new ParameterException(spec.commandLine(), "--mailbox needs the endpoint's administrator"
                                + " and its password (--admin-password or " + Secrets.envName(ep.name()) + ")");
                    }
                    r = service.testServerAvailability(ep, mailbox);
                } else {
                    r = service.testServerAvailability(ep);
                }
                Show.availability(out, r);
                return r.isSuccess() ? MailFerryCli.EXIT_OK : MailFerryCli.EXIT_USERS_FAILED;
            }
        }
    }

    /** Builds an endpoint, turning a bad setting into a usage error. */
    static MigrationEndpoint build(CommandSpec spec, java.util.function.Supplier<MigrationEndpoint> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
