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

    private static final int DEFAULT_MAX_CONCURRENT = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--source-preset", paramLabel = "gmail|microsoft365",
            converter = ImapEndpointSettings.PresetConverter.class,
            description = "Source provider preset: host, port, security, xoauth2, limits and properties of Gmail"
                    + " or Microsoft 365 (see 'endpoint new --help'); options given as well override them.")
    ImapEndpointSettings.Preset sourcePreset;
    @Option(names = "--source-host", paramLabel = "HOST", description = "Source IMAP server (required without --source-preset).")
    String sourceHost;
    @Option(names = "--source-port", paramLabel = "PORT", description = "Source port (default 993 for ssl, else 143).")
    int sourcePort;
    @Option(names = "--source-security", paramLabel = "none|ssl|starttls",
            converter = SecurityConverter.class, description = "Source transport security (default ssl).")
    Security sourceSecurity;
    @Option(names = "--source-auth", paramLabel = "auto|login|plain|xoauth2|oauthbearer",
            converter = ImapEndpointSettings.AuthConverter.class,
            description = "Source authentication (default auto, or the preset's xoauth2). xoauth2/oauthbearer take"
                    + " the access token from --source-oauth-token-command (or --oauth-token-command), else from the"
                    + " environment variable MAILFERRY_OAUTH_TOKEN.")
    ImapEndpointSettings.Auth sourceAuth;
    @Option(names = "--source-imap-property", paramLabel = "KEY=VALUE",
            description = "Source endpoint setting (repeatable), e.g. imap.maxMessageBytes=26214400 (bytes) or"
                    + " skipCrossDuplicates=false; see 'endpoint new --help'.")
    List<String> sourceImapProperties;
    @Option(names = "--source-oauth-token-command", paramLabel = "COMMAND",
            description = "Source OAuth token command, instead of --oauth-token-command for this side.")
    String sourceOAuthTokenCommand;
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

    @Option(names = "--target-preset", paramLabel = "gmail|microsoft365",
            converter = ImapEndpointSettings.PresetConverter.class,
            description = "Target provider preset: host, port, security, xoauth2, limits and properties of Gmail"
                    + " or Microsoft 365 (see 'endpoint new --help'); options given as well override them.")
    ImapEndpointSettings.Preset targetPreset;
    @Option(names = "--target-host", paramLabel = "HOST", description = "Target IMAP server (required without --target-preset).")
    String targetHost;
    @Option(names = "--target-port", paramLabel = "PORT", description = "Target port (default 993 for ssl, else 143).")
    int targetPort;
    @Option(names = "--target-security", paramLabel = "none|ssl|starttls",
            converter = SecurityConverter.class, description = "Target transport security (default ssl).")
    Security targetSecurity;
    @Option(names = "--target-auth", paramLabel = "auto|login|plain|xoauth2|oauthbearer",
            converter = ImapEndpointSettings.AuthConverter.class,
            description = "Target authentication (default auto, or the preset's xoauth2). xoauth2/oauthbearer take"
                    + " the access token from --target-oauth-token-command (or --oauth-token-command), else from the"
                    + " environment variable MAILFERRY_OAUTH_TOKEN.")
    ImapEndpointSettings.Auth targetAuth;
    @Option(names = "--target-imap-property", paramLabel = "KEY=VALUE",
            description = "Target endpoint setting (repeatable), e.g. imap.maxMessageBytes=26214400 (bytes) or"
                    + " skipCrossDuplicates=false; see 'endpoint new --help'.")
    List<String> targetImapProperties;
    @Option(names = "--target-oauth-token-command", paramLabel = "COMMAND",
            description = "Target OAuth token command, instead of --oauth-token-command for this side.")
    String targetOAuthTokenCommand;
    @Option(names = "--target-admin", paramLabel = "USER",
            description = "Target administrator who opens each EmailAddress mailbox by impersonation.")
    String targetAdmin;
    @Option(names = "--target-admin-password", paramLabel = "PASS", arity = "0..1", interactive = true,
            description = "Target administrator's password (prompted when given without a value).")
    String targetAdminPassword;
    @Option(names = "--target-impersonation", paramLabel = "sasl|login[:SEP]", defaultValue = "sasl",
            description = "How the target administrator opens a mailbox (default ${DEFAULT-VALUE}).")
    String targetImpersonation;

    @Option(names = "--oauth-token-command", paramLabel = "COMMAND",
            description = "For xoauth2/oauthbearer: a shell command (run with /bin/sh -c at every login, at most 30 s)"
                    + " whose output, trimmed, is the access token, e.g. 'oauth2l fetch --credentials creds.json"
                    + " --scope https://mail.google.com/ --email {email}'. {user} is the login name (the row's UserName"
                    + " on the source; EmailAddress on the target) and {email} the row's EmailAddress, passed as the"
                    + " variables MAILFERRY_USER / MAILFERRY_EMAIL (also $1 / $2), never pasted into the command."
                    + " Without it: the environment variable MAILFERRY_OAUTH_TOKEN.")
    String oauthTokenCommand;

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
    @Option(names = "--max-concurrent", paramLabel = "N",
            description = "Mailboxes migrated at once (default 10, or a preset's lower limit).")
    Integer maxConcurrent;
    @Option(names = "--notification-emails", paramLabel = "ADDRESSES",
            description = "Comma-separated recipients of the batch's report e-mails (with --smtp-host).")
    String notificationEmails;
    @Option(names = "--report-interval", paramLabel = "DURATION", converter = Values.DurationConverter.class,
            description = "How often a report e-mail goes out while the command runs (default 24h; 0 = never).")
    java.time.Duration reportInterval;
    @picocli.CommandLine.Mixin
    SmtpOptions smtp;
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
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent must be at least 1");
        }
        ItemLimit bad = limit("--bad-item-limit", badItemLimit);
        ItemLimit large = limit("--large-item-limit", largeItemLimit);
        MigrationEndpoint source = endpoint(new Side("source", name + "-source", sourcePreset, sourceHost, sourcePort,
                sourceSecurity, sourceAuth, sourceImapProperties,
                sourceOAuthTokenCommand != null ? sourceOAuthTokenCommand : oauthTokenCommand,
                sourceAdmin, password(sourceAdminPassword, "MAILFERRY_SOURCE_ADMIN_PASSWORD"), sourceImpersonation));
        MigrationEndpoint target = endpoint(new Side("target", name + "-target", targetPreset, targetHost, targetPort,
                targetSecurity, targetAuth, targetImapProperties,
                targetOAuthTokenCommand != null ? targetOAuthTokenCommand : oauthTokenCommand,
                targetAdmin, password(targetAdminPassword, "MAILFERRY_TARGET_ADMIN_PASSWORD"), targetImpersonation));
        boolean sourceOAuth = ImapEndpointSettings.usesOAuth(source);
        boolean targetOAuth = ImapEndpointSettings.usesOAuth(target);
        if ((oauthTokenCommand != null && !sourceOAuth && !targetOAuth)
                || (sourceOAuthTokenCommand != null && !sourceOAuth) || (targetOAuthTokenCommand != null && !targetOAuth)) {
            throw new ParameterException(spec.commandLine(), "an OAuth token command needs OAuth authentication on"
                    + " its side: --source-auth/--target-auth xoauth2|oauthbearer, or a preset");
        }
        MigrationCsv csv = MigrationCsvReader.of(CsvSchema.IMAP).withAllowUnknownColumns(allowUnknownColumns)
                .read(usersCsv);
        List<MigrationUserEntry> entries = csv.entries();
        entries = Secrets.oauthTargets(entries, target); // OAuth without administrator: each mailbox logs in as itself
        if (targetAdmin == null) {
            List<String> without = entries.stream().filter(e -> e.targetCredentials().isEmpty())
                    .map(MigrationUserEntry::emailAddress).toList();
            if (!without.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no --target-admin was given and " + without.size()
                        + " row(s) have no TargetUserName/TargetPassword (first: " + without.get(0)
                        + "); give the target administrator or those columns");
            }
        }
        BatchOptions options;
        try {
            BatchOptions.Builder b = BatchOptions.builder().badItemLimit(bad).largeItemLimit(large)
                    .maxMessageSize(maxMessageSize);
            if (notificationEmails != null) {
                b.notificationEmails(Values.list(notificationEmails));
            }
            if (reportInterval != null) {
                b.reportInterval(reportInterval);
            }
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        MigrationRun.Request req = new MigrationRun.Request(name, source, target, entries, csv.rejectedRows(),
                options, stateDir, reportDir, !quiet);
        Clock clock = Clock.systemUTC();
        return new MigrationRun(out, clock, smtp.reporter(spec, out, clock)).execute(req).exitCode();
    }

    private static String password(String given, String environmentVariable) {
        return given != null ? given : System.getenv(environmentVariable);
    }

    /** The options of one side. */
    private record Side(String role, String name, ImapEndpointSettings.Preset preset, String host, int port,
                        Security security, ImapEndpointSettings.Auth auth, List<String> properties,
                        String tokenCommand, String admin, String adminPassword, String impersonation) {
    }

    private MigrationEndpoint endpoint(Side side) {
        String option = "--" + side.role();
        if (side.host() == null && side.preset() == null) {
            throw new ParameterException(spec.commandLine(), "give " + option + "-host or " + option + "-preset");
        }
        try {
            MigrationEndpoint.Builder b = side.preset() != null ? side.preset().builder(side.name())
                    : MigrationEndpoint.imap(side.name());
            if (side.host() != null) {
                b.host(side.host());
            }
            if (side.security() != null) {
                b.security(side.security());
                if (side.port() == 0) {
                    b.port(0); // the security's default port, not the preset's
                }
            }
            if (side.port() != 0) {
                b.port(side.port());
            }
            java.util.Set<String> removed = new java.util.HashSet<>();
            if (side.auth() != null) {
                side.auth().apply(b, removed);
            }
            // an explicit --max-concurrent wins; otherwise 10, or a preset's lower limit
            int presetMax = side.preset() != null ? b.build().maxConcurrentMigrations() : Integer.MAX_VALUE;
            int concurrent = maxConcurrent != null ? maxConcurrent : Math.min(DEFAULT_MAX_CONCURRENT, presetMax);
            b.acceptUntrustedCertificates(acceptUntrusted)
                    .maxConcurrentMigrations(concurrent)
                    .maxConcurrentIncrementalSyncs(concurrent)
                    .impersonation(impersonation(side.impersonation(), option + "-impersonation"));
            if (side.properties() != null) {
                ImapEndpointSettings.applyProperties(b,
                        ImapEndpointSettings.parseProperties(option + "-imap-property", side.properties()), removed);
            }
            MigrationEndpoint probe = ImapEndpointSettings.without(b.build(), removed);
            boolean oauth = ImapEndpointSettings.usesOAuth(probe);
            if (side.tokenCommand() != null && oauth) {
                new OAuthTokenCommand(side.tokenCommand()); // checks the placeholders
                b.property(ImapEndpointSettings.TOKEN_COMMAND, side.tokenCommand().trim());
            }
            if (side.admin() != null) {
                String password = side.adminPassword();
                if (password == null && oauth) {
                    password = ImapEndpointSettings.OAUTH_PASSWORD; // the token provider logs in
                }
                if (password == null) {
                    throw new ParameterException(spec.commandLine(), "the administrator " + side.admin()
                            + " needs a password: give it with the matching --*-admin-password option or environment"
                            + " variable");
                }
                b.adminCredentials(new Credentials(side.admin(), password));
            }
            MigrationEndpoint ep = ImapEndpointSettings.without(b.build(), removed);
            ImapEndpointSettings.validate(option + "-imap-property", ep);
            return ep;
        } catch (IllegalArgumentException | NullPointerException e) {
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
