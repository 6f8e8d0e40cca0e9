package io.mailferry.cli.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import io.mailferry.notification.BatchReporter;
import io.mailferry.notification.ReportDelivery;
import io.mailferry.notification.SmtpNotificationSender;
import io.mailferry.notification.SmtpSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.Function;

/**
 * The SMTP server of the batch report e-mail, for the commands that run batches ({@code batch
 * new/start/sync-now/complete}, {@code serve}, {@code migrate}) and {@code report --email}. Without
 * {@code --smtp-host} no e-mail is sent.
 *
 * <p>The SMTP password comes only from the environment variable {@value #PASSWORD_ENV}: never an
 * option (a command line is visible to other users of the machine), never stored in the state,
 * never printed.
 */
final class SmtpOptions {
    /** The environment variable of the SMTP password. */
    static final String PASSWORD_ENV = "MAILFERRY_SMTP_PASSWORD";

    @Option(names = "--smtp-host", paramLabel = "HOST",
            description = "SMTP server for the report e-mails to the batch's NotificationEmails (none: no e-mail).")
    String host;
    @Option(names = "--smtp-port", paramLabel = "PORT",
            description = "SMTP port (default 587 for starttls, 465 for ssl, 25 for none).")
    Integer port;
    @Option(names = "--smtp-security", paramLabel = "none|ssl|starttls", defaultValue = "starttls",
            converter = MigrateCommand.SecurityConverter.class,
            description = "SMTP transport security (default ${DEFAULT-VALUE}).")
    Security security;
    @Option(names = "--smtp-user", paramLabel = "USER",
            description = "SMTP login; its password from the environment variable " + PASSWORD_ENV + ".")
    String user;
    @Option(names = "--smtp-from", paramLabel = "ADDRESS",
            description = "Sender address of the reports (default: --smtp-user if it is an address).")
    String from;
    @Option(names = "--smtp-accept-untrusted-certificates",
            description = "Accept any certificate of the SMTP server (self-signed servers, tests).")
    boolean acceptUntrusted;

    /** Returns {@code true} if an SMTP server was given. */
    boolean configured() {
        return host != null;
    }

    /**
     * Builds the settings.
     *
     * @param spec     the command, for usage errors
     * @param password the SMTP password (from {@link #PASSWORD_ENV}), or {@code null}
     * @throws ParameterException if a value is missing or wrong
     */
    SmtpSettings settings(CommandSpec spec, String password) {
        String sender = from != null ? from : user != null && user.contains("@") ? user : null;
        if (sender == null) {
            throw new ParameterException(spec.commandLine(), "--smtp-host needs --smtp-from (or an --smtp-user that is"
                    + " an e-mail address)");
        }
        if (user != null && (password == null || password.isEmpty())) {
            throw new ParameterException(spec.commandLine(), "--smtp-user " + user + " needs a password: set the"
                    + " environment variable " + PASSWORD_ENV);
        }
        try {
            SmtpSettings.Builder b = SmtpSettings.builder(host).security(security).from(sender)
                    .acceptUntrustedCertificates(acceptUntrusted);
            if (port != null) {
                b.port(port);
            }
            if (user != null) {
                b.credentials(new Credentials(user, password));
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ParameterException(spec.commandLine(), "SMTP: " + e.getMessage());
        }
    }

    /**
     * Returns a reporter that sends the reports through the SMTP server and says on {@code out}
     * what became of each, or {@code null} without {@code --smtp-host}. The caller binds it to the
     * service and closes it after the service.
     */
    BatchReporter reporter(CommandSpec spec, PrintWriter out, Clock clock) {
        return reporter(spec, out, clock, System::getenv);
    }

    BatchReporter reporter(CommandSpec spec, PrintWriter out, Clock clock, Function<String, String> environment) {
        if (!configured()) {
            return null;
        }
        SmtpSettings settings = settings(spec, environment.apply(PASSWORD_ENV));
        return BatchReporter.builder(new SmtpNotificationSender(settings, clock)).clock(clock)
                .onDelivery(d -> print(out, d)).build();
    }

    static void print(PrintWriter out, ReportDelivery d) {
        synchronized (out) {
            if (d.sent()) {
                out.printf("Report e-mail '%s' sent to %s.%n", d.subject(), String.join(", ", d.recipients()));
            } else {
                out.printf("Report e-mail '%s' to %s could not be sent: %s%n", d.subject(),
                        String.join(", ", d.recipients()), d.error());
            }
            out.flush();
        }
    }
}
