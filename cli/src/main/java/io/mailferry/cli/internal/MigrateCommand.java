package io.mailferry.cli.internal;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.BatchOptions;
import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.csv.CsvSchema;
import io.mailferry.csv.MigrationCsv;
import io.mailferry.csv.MigrationCsvReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mailferry migrate}: one migration batch from a CSV file between two IMAP servers.
 */
@Command(name = "migrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Migrates the mailboxes listed in a CSV file (EmailAddress,UserName,Password[,TargetUserName,TargetPassword])"
                        + " from the source IMAP server to the target IMAP server.",
                "Each row's source mailbox is opened as UserName/Password and copied into the target mailbox EmailAddress,"
                        + " reached through --target-admin impersonation or the row's TargetUserName/TargetPassword.",
                "Run it again with the same --state to copy only what is new and bring flags up to date.",
                "",
                "Passwords can also come from the environment: MAILFERRY_SOURCE_ADMIN_PASSWORD, MAILFERRY_TARGET_ADMIN_PASSWORD.",
                "Exit codes: 0 every user Synced; 1 usage or configuration error; 2 a user failed or a CSV row was rejected."})
public final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--source-host", required = true, paramLabel = "HOST", description = "Source IMAP server.")
    String sourceHost;
    @Option(names = "--source-port", paramLabel = "PORT", description = "Source port (default 993 for ssl, else 143).")
    int sourcePort;
    @Option(names = "--source-security", paramLabel = "none|ssl|starttls", defaultValue = "ssl",
            converter = SecurityConverter.class, description = "Source transport security (default ${DEFAULT-VALUE}).")
    Security sourceSecurity;
    @Option(names = "--source-auth", paramLabel = "auto|login|plain", defaultValue = "auto",
            converter = AuthConverter.class, description = "Source authentication (default ${DEFAULT-VALUE}).")
    AuthenticationMethod sourceAuth;
    @Option(names = "--source-admin", paramLabel = "USER",
            description = "Source administrator; rows without a Password are opened by impersonation.")
    String sourceAdmin;
    @Option(names = "--source-admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
            description = "Source administrator's password (prompted when given without a value).")
    String sourceAdminPassword;
    @Option(names = "--source-impersonation", paramLabel = "sasl|login[:SEP]", defaultValue = "sasl",
            description = "How the source administrator opens a mailbox: SASL PLAIN authorization identity, or a"
                    + " login string user<SEP>admin (default separator '*', Dovecot's). Default ${DEFAULT-VALUE}.")
    String sourceImpersonation;

    @Option(names = "--target-host", required = true, paramLabel = "HOST", description = "Target IMAP server.")
    String targetHost;
    @Option(names = "--target-port", paramLabel = "PORT", description = "Target port (default 993 for ssl, else 143).")
    int targetPort;
    @Option(names = "--target-security", paramLabel = "none|ssl|starttls", defaultValue = "ssl",
            converter = SecurityConverter.class, description = "Target transport security (default ${DEFAULT-VALUE}).")
    Security targetSecurity;
    @Option(names = "--target-auth", paramLabel = "auto|login|plain", defaultValue = "auto",
            converter = AuthConverter.class, description = "Target authentication (default ${DEFAULT-VALUE}).")
    AuthenticationMethod targetAuth;
    @Option(names = "--target-admin", paramLabel = "USER",
            description = "Target administrator who opens each EmailAddress mailbox by impersonation.")
    String targetAdmin;
    @Option(names = "--target-admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
            description = "Target administrator's password (prompted when given without a value).")
    String targetAdminPassword;
    @Option(names = "--target-impersonation", paramLabel = "sasl|login[:SEP]", defaultValue = "sasl",
            description = "How the target administrator opens a mailbox (default ${DEFAULT-VALUE}).")
    String targetImpersonation;

    @Option(names = "--accept-untrusted-certificates",
            description = "Accept any TLS certificate on both servers. Not for production.")
    boolean acceptUntrusted;

    @Option(names = "--users", required = true, paramLabel = "FILE", description = "The users CSV (.csv or .txt).")
    Path usersCsv;
    @Option(names = "--allow-unknown-columns", description = "Ignore CSV columns MailFerry does not know.")
    boolean allowUnknownColumns;
    @Option(names = "--state", paramLabel = "DIR", defaultValue = "mailferry-state",
            description = "Directory of the durable migration state (default ${DEFAULT-VALUE}).")
    Path stateDir;
    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "mailferry-reports",
            description = "Where MigrationStatistics.csv and MigrationErrors.csv go (default ${DEFAULT-VALUE}).")
    Path reportDir;
    @Option(names = "--batch", paramLabel = "NAME",
            description = "Batch name, at most 64 characters (default: the CSV file's name).")
    String batchName;
    @Option(names = "--bad-item-limit", paramLabel = "N|Unlimited", defaultValue = "0",
            description = "Corrupt or refused messages tolerated per user (default ${DEFAULT-VALUE}).")
    String badItemLimit;
    @Option(names = "--large-item-limit", paramLabel = "N|Unlimited", defaultValue = "0",
            description = "Too-large messages tolerated per user (default ${DEFAULT-VALUE}).")
    String largeItemLimit;
    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "157286400",
            description = "Largest message copied, in bytes; 0 = no limit (default ${DEFAULT-VALUE}, 150 MiB).")
    long maxMessageSize;
    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "10",
            description = "Mailboxes migrated at once (default ${DEFAULT-VALUE}).")
    int maxConcurrent;
    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String name = batchName != null ? batchName : defaultBatchName(usersCsv);
        if (name.length() > MigrationBatch.MAX_NAME_LENGTH) {
            throw new ParameterException(spec.commandLine(), "--batch: at most " + MigrationBatch.MAX_NAME_LENGTH
                    + " characters");
        }
        if (maxConcurrent < 1) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent must be at least 1");
        }
        ItemLimit bad = limit("--bad-item-limit", badItemLimit);
        ItemLimit large = limit("--large-item-limit", largeItemLimit);
        MigrationEndpoint source = endpoint(name + "-source", sourceHost, sourcePort, sourceSecurity, sourceAuth,
                sourceAdmin, password(sourceAdminPassword, "MAILFERRY_SOURCE_ADMIN_PASSWORD"),
                sourceImpersonation, "--source-impersonation");
        MigrationEndpoint target = endpoint(name + "-target", targetHost, targetPort, targetSecurity, targetAuth,
                targetAdmin, password(targetAdminPassword, "MAILFERRY_TARGET_ADMIN_PASSWORD"),
                targetImpersonation, "--target-impersonation");
        MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).withAllowUnknownColumns(allowUnknownColumns)
                .read(usersCsv);
        if (targetAdmin == null) {
            List<String> without = csv.entries().stream().filter(e -> e.targetCredentials().isEmpty())
                    .map(MigrationUserEntry::emailAddress).toList();
            if (!without.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no --target-admin was given and " + without.size()
                        + " row(s) have no TargetUserName/TargetPassword (first: " + without.get(0)
                        + "); give the target administrator or those columns");
            }
        }
        MigrationRun.Request req = new MigrationRun.Request(name, source, target, csv.entries(), csv.rejectedRows(),
                new BatchOptions(bad, large, false, maxMessageSize), stateDir, reportDir, !quiet);
        return new MigrationRun(out, Clock.systemUTC()).execute(req).exitCode();
    }

    private static String password(String given, String environmentVariable) {
        return given != null ? given : System.getenv(environmentVariable);
    }

    private MigrationEndpoint endpoint(String name, String host, int port, Security security,
                                       AuthenticationMethod auth, String admin, String adminPassword,
                                       String impersonation, String option) {
        MigrationEndpoint.Builder b = MigrationEndpoint.imap(name).host(host).port(port).security(security)
                .authentication(auth)
                .acceptUntrustedCertificates(acceptUntrusted)
                .maxConcurrentMigrations(maxConcurrent)
                .maxConcurrentIncrementalSyncs(maxConcurrent)
                .impersonation(impersonation(impersonation, option));
        if (admin != null) {
            if (adminPassword == null) {
                throw new ParameterException(spec.commandLine(), "the administrator " + admin
                        + " needs a password: give it with the matching --*-admin-password option or environment variable");
            }
            b.adminCredentials(new Credentials(admin, adminPassword));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Impersonation impersonation(String text, String option) {
        String t = text.trim();
        if (t.equalsIgnoreCase("sasl")) {
            return Impersonation.SASL_AUTHORIZATION_ID;
        }
        if (t.toLowerCase(Locale.ROOT).startsWith("login")) {
            String sep = t.length() > "login".length() && t.charAt(5) == ':' ? t.substring(6) : "*";
            if (sep.isEmpty()) {
                throw new ParameterException(spec.commandLine(), option + ": the separator after 'login:' is empty");
            }
            return Impersonation.loginString(sep);
        }
        throw new ParameterException(spec.commandLine(), option + ": use 'sasl' or 'login[:SEPARATOR]', not '" + text + "'");
    }

    private ItemLimit limit(String option, String text) {
        try {
            return ItemLimit.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    static String defaultBatchName(Path csv) {
        String file = csv.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = dot > 0 ? file.substring(0, dot) : file;
        return base.length() > MigrationBatch.MAX_NAME_LENGTH ? base.substring(0, MigrationBatch.MAX_NAME_LENGTH) : base;
    }

    /** Parses --*-security. */
    static final class SecurityConverter implements picocli.CommandLine.ITypeConverter<Security> {
        @Override
        public Security convert(String value) {
            return Security.parse(value);
        }
    }

    /** Parses --*-auth. */
    static final class AuthConverter implements picocli.CommandLine.ITypeConverter<AuthenticationMethod> {
        @Override
        public AuthenticationMethod convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AuthenticationMethod.AUTO;
                case "login" -> AuthenticationMethod.LOGIN;
                case "plain" -> AuthenticationMethod.PLAIN;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "use auto, login or plain, not '" + value + "'");
            };
        }
    }
}
