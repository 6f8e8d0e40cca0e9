package io.mailferry.cli.internal;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.Credentials;
import io.mailferry.core.ItemLimit;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.examples.SampleMail;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.testing.GreenMailServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code mailferry demo}: two embedded IMAP servers, the bundled sample of real mail loaded into
 * the source, one batch of several users run through the same code path as {@code migrate}, then a
 * byte-for-byte comparison of source and target.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Migrates a bundled sample of real mail (Enron mailboxes) between two embedded IMAP servers"
                + " through the same code path as 'mailferry migrate', then checks the target byte for byte."})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "mailferry-demo-reports",
            description = "Where the CSV reports go (default ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<SampleMail.Message>> sample = SampleMail.byUser();
        Path state = Files.createTempDirectory("mailferry-demo-state");
        try (GreenMailServer source = GreenMailServer.start(); GreenMailServer target = GreenMailServer.start()) {
            int sourcePort = source.imapPort();
            int targetPort = target.imapPort();
            out.printf("Started two embedded IMAP servers: source 127.0.0.1:%d, target 127.0.0.1:%d.%n",
                    sourcePort, targetPort);
            MigrationEndpoint sourceEndpoint = MigrationEndpoint.imap("demo-source").host("127.0.0.1").port(sourcePort)
                    .security(Security.NONE).maxConcurrentMigrations(4).maxConcurrentIncrementalSyncs(4).build();
            MigrationEndpoint targetEndpoint = MigrationEndpoint.imap("demo-target").host("127.0.0.1").port(targetPort)
                    .security(Security.NONE).maxConcurrentMigrations(4).maxConcurrentIncrementalSyncs(4).build();

            List<MigrationUserEntry> users = new ArrayList<>();
            StringBuilder csv = new StringBuilder("EmailAddress,UserName,Password,TargetUserName,TargetPassword\r\n");
            for (Map.Entry<String, List<SampleMail.Message>> e : sample.entrySet()) {
                String login = e.getKey();
                String email = login + "@enron.example";
                String sourcePassword = password();
                String targetPassword = password();
                source.greenMail().setUser(email, login, sourcePassword);
                target.greenMail().setUser(email, email, targetPassword);
                int loaded = load(sourceEndpoint, new Credentials(login, sourcePassword), e.getValue());
                out.printf("Loaded %,d messages of Enron mailbox %s into the source as %s.%n", loaded, login, email);
                users.add(new MigrationUserEntry(email, login, sourcePassword, email, targetPassword, null));
                csv.append(email).append(',').append(login).append(",********,").append(email).append(",********\r\n");
            }
            Files.createDirectories(reportDir);
            Path csvFile = reportDir.resolve("demo-users.csv");
            Files.writeString(csvFile, csv);
            out.printf("Users CSV (passwords masked): %s%n%n", csvFile.toAbsolutePath());
            out.flush();

            MigrationRun.Request req = new MigrationRun.Request("demo", sourceEndpoint, targetEndpoint, users, List.of(),
                    new BatchOptions(ItemLimit.ZERO, ItemLimit.ZERO, false, BatchOptions.DEFAULT_MAX_MESSAGE_SIZE),
                    state, reportDir, !quiet);
            MigrationRun.Result result = new MigrationRun(out, Clock.systemUTC()).execute(req);

            out.println();
            long verified = 0;
            List<String> differences = new ArrayList<>();
            for (MigrationUserEntry u : users) {
                Map<String, List<String>> src = digests(sourceEndpoint, new Credentials(u.sourceUserName(), u.sourcePassword()));
                Map<String, List<String>> dst = digests(targetEndpoint, new Credentials(u.targetUserName(), u.targetPassword()));
                if (!src.equals(dst)) {
                    differences.add(u.emailAddress());
                }
                verified += src.values().stream().mapToLong(List::size).sum();
            }
            if (differences.isEmpty()) {
                out.printf("Verified: all %,d messages of %d users are on the target, byte for byte, in the same folders.%n",
                        verified, users.size());
            } else {
                out.printf("Verification FAILED for %s: source and target folders differ.%n", differences);
                return io.mailferry.cli.MailFerryCli.EXIT_USERS_FAILED;
            }
            return result.exitCode();
        } finally {
            deleteQuietly(state);
        }
    }

    private static int load(MigrationEndpoint endpoint, Credentials owner, List<SampleMail.Message> messages) {
        ImapConnectorProvider imap = new ImapConnectorProvider();
        try (TargetMailbox box = imap.openTarget(endpoint, MailboxAccess.own(owner))) {
            Map<String, List<SampleMail.Message>> byFolder = new TreeMap<>();
            for (SampleMail.Message m : messages) {
                byFolder.computeIfAbsent(m.imapFolder(), k -> new ArrayList<>()).add(m);
            }
            int n = 0;
            for (Map.Entry<String, List<SampleMail.Message>> f : byFolder.entrySet()) {
                if (!f.getKey().equals("INBOX")) {
                    box.createFolder(f.getKey());
                }
                List<AppendRequest> batch = new ArrayList<>();
                int i = 0;
                for (SampleMail.Message m : f.getValue()) {
                    byte[] bytes = m.crlfContent();
                    // A realistic mix of flags, deterministic: sent mail is read; every third is read, every
                    // seventh flagged.
                    List<String> flags = new ArrayList<>();
                    if (f.getKey().contains("sent") || i % 3 == 0) {
                        flags.add(MessageFlags.SEEN);
                    }
                    if (i % 7 == 0) {
                        flags.add(MessageFlags.FLAGGED);
                    }
                    batch.add(new AppendRequest(MessageFlags.of(flags), dateOf(bytes), bytesContent(bytes)));
                    i++;
                }
                box.append(f.getKey(), batch);
                n += batch.size();
            }
            return n;
        }
    }

    /** The Date header as INTERNALDATE, so the demo's mail keeps its real dates. */
    private static Instant dateOf(byte[] message) {
        String head = new String(message, 0, Math.min(message.length, 8192), java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String line : head.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Date:", 0, 5)) {
                try {
                    String v = line.substring(5).trim().replaceAll("\\s*\\([A-Z]+\\)$", "");
                    return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static MessageContent bytesContent(byte[] bytes) {
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /** Per folder, the sorted SHA-256 of every message, read through MailFerry's own IMAP connector. */
    private static Map<String, List<String>> digests(MigrationEndpoint endpoint, Credentials creds) {
        Map<String, List<String>> out = new TreeMap<>();
        try (SourceMailbox box = new ImapConnectorProvider().openSource(endpoint, MailboxAccess.own(creds))) {
            for (FolderInfo f : box.listFolders()) {
                if (!f.selectable()) {
                    continue;
                }
                box.selectFolder(f.name());
                List<MessageInfo> all = box.listMessages(f.name(), 0, Integer.MAX_VALUE);
                List<String> hashes = new ArrayList<>();
                box.fetchMessages(f.name(), all, new MessageSink() {
                    @Override
                    public void accept(MessageInfo message, InputStream content) throws IOException {
                        hashes.add(sha256(content));
                    }

                    @Override
                    public void failed(MessageInfo message, String reason) {
                        hashes.add("unreadable:" + reason);
                    }
                });
                hashes.sort(Comparator.naturalOrder());
                out.put(f.name().replace(f.separator(), '/'), hashes);
            }
        }
        return out;
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String password() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
