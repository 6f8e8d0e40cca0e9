package io.mailferry.imap.contract;

import io.mailferry.core.FolderRole;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SeedMessage;
import io.mailferry.core.spi.contract.StoredMessage;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.testing.ImapTestClient;
import io.mailferry.testing.ImapTestException;
import io.mailferry.testing.RawMessage;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link MailboxFixture} on an IMAP server: the mailbox is prepared and read back with
 * {@link ImapTestClient} (Angus' protocol layer, not the connector under test), and sessions of the
 * connector under test are opened with {@link ImapConnectorProvider} on an endpoint and access the
 * test gives.
 *
 * <p>What the server can prepare beyond plain folders is stated by {@link Feature}s: the test knows
 * its server (GreenMail can create neither special-use nor {@code \Noselect} folders; a Dovecot
 * configured with {@code DovecotServer.Builder#declareSpecialUseFolder} can create both).
 *
 * <p>Owns the client: {@link #close()} logs it out. One fixture per test, one thread.
 */
public final class ImapMailboxFixture implements MailboxFixture {

    /** What the server behind the fixture can prepare besides plain folders and messages. */
    public enum Feature {
        /** Folders with a special-use role ({@link ImapTestClient#createSpecialUseFolder}). */
        SPECIAL_USE_FOLDERS,
        /** {@code \Noselect} folders ({@link ImapTestClient#createNonSelectableFolder}). */
        NON_SELECTABLE_FOLDERS
    }

    private final ImapTestClient client;
    private final MigrationEndpoint endpoint;
    private final MailboxAccess access;
    private final Set<Feature> features;
    private final ImapConnectorProvider provider = new ImapConnectorProvider();
    private final char separator;

    /**
     * @param client   a client logged in to the mailbox under test, which must be empty but for
     *                 INBOX; the fixture closes it
     * @param endpoint the endpoint the connector under test connects to
     * @param access   how the connector under test opens the mailbox
     * @param features what the server can prepare
     */
    public ImapMailboxFixture(ImapTestClient client, MigrationEndpoint endpoint, MailboxAccess access,
            Set<Feature> features) {
        this.client = Objects.requireNonNull(client, "client");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.access = Objects.requireNonNull(access, "access");
        this.features = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
        this.separator = client.separator();
    }

    /** Returns the independent client (for checks a rule's override needs). */
    public ImapTestClient client() {
        return client;
    }

    @Override
    public char separator() {
        return separator;
    }

    @Override
    public void createFolder(String name) {
        createParents(name);
        if (!folderNames().contains(name)) {
            client.createFolder(name);
        }
    }

    @Override
    public boolean canCreateSpecialUseFolders() {
        return features.contains(Feature.SPECIAL_USE_FOLDERS);
    }

    @Override
    public void createFolder(String name, FolderRole role) {
        if (!canCreateSpecialUseFolders()) {
            throw new UnsupportedOperationException("this server cannot create special-use folders");
        }
        String attribute = role.attribute()
                .orElseThrow(() -> new IllegalArgumentException(role + " is not a special-use role"));
        createParents(name);
        client.createSpecialUseFolder(name, attribute);
    }

    @Override
    public boolean canCreateNonSelectableFolders() {
        return features.contains(Feature.NON_SELECTABLE_FOLDERS);
    }

    @Override
    public void createNonSelectableFolder(String name) {
        if (!canCreateNonSelectableFolders()) {
            throw new UnsupportedOperationException("this server cannot create non-selectable folders");
        }
        createParents(name);
        client.createNonSelectableFolder(name);
    }

    /** Creates each missing ancestor as a selectable folder, top down (a server may add them as \Noselect). */
    private void createParents(String name) {
        Set<String> existing = new HashSet<>(folderNames());
        int cut = -1;
        while ((cut = name.indexOf(separator, cut + 1)) > 0) {
            String parent = name.substring(0, cut);
            if (!existing.contains(parent)) {
                client.createFolder(parent);
                existing.add(parent);
            }
        }
    }

    @Override
    public List<String> folderNames() {
        return client.listFolders().stream().map(ImapTestClient.Folder::name).toList();
    }

    @Override
    public long append(String folder, SeedMessage message) {
        return client.appendMessage(folder, new RawMessage("seed", message.raw(), message.flags().flags(),
                message.internalDate().atOffset(ZoneOffset.UTC)));
    }

    @Override
    public List<StoredMessage> messages(String folder) {
        return client.fetchMessages(folder).stream()
                .map(m -> new StoredMessage(m.uid(), m.bytes(), MessageFlags.of(m.flags()), m.internalDate()))
                .toList();
    }

    @Override
    public void setFlags(String folder, long uid, MessageFlags flags) {
        client.replaceFlags(folder, uid, flags.flags());
    }

    @Override
    public void expunge(String folder, long uid) {
        client.expunge(folder, uid);
    }

    @Override
    public SourceMailbox openSource() {
        return provider.openSource(endpoint, access);
    }

    @Override
    public TargetMailbox openTarget() {
        return provider.openTarget(endpoint, access);
    }

    /**
     * Finds out, without the connector, which samples the server cannot give back byte for byte:
     * appends each to INBOX with the independent client, reads it back and expunges it again. A
     * message the server refuses is not a change (refusing is allowed; changing silently is not).
     * A rule that needs such bytes can only hold where this list is empty.
     *
     * @param samples messages
     * @return the samples whose bytes came back changed, with what changed
     */
    public List<String> notReturnedUnchanged(List<TestMessages.Sample> samples) {
        List<String> changed = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            long uid;
            try {
                uid = client.appendMessage("INBOX", RawMessage.of(s.name(), s.raw()));
            } catch (ImapTestException refused) {
                continue;
            }
            byte[] back = client.fetchMessages("INBOX").stream().filter(m -> m.uid() == uid).findFirst()
                    .orElseThrow(() -> new IllegalStateException("appended UID " + uid + " not found")).bytes();
            client.expunge("INBOX", uid);
            if (!Arrays.equals(back, s.raw())) {
                changed.add(s + " came back as " + back.length + " bytes" + differences(s.raw(), back));
            }
        }
        return changed;
    }

    /**
     * Which samples' header fields the server does not return as stored, measured without the
     * connector: each sample is appended by the independent client, then its fields are asked for
     * with {@code UID FETCH uid BODY.PEEK[HEADER.FIELDS (…)]} over a plain socket and compared with
     * the fields cut from the sample's bytes (line ends aside).
     *
     * @param samples the messages
     * @param fields  header field names
     * @return one description per sample whose fields come back changed
     */
    public List<String> headerFieldsNotReturnedUnchanged(List<TestMessages.Sample> samples, List<String> fields) {
        List<String> changed = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            long uid;
            try {
                uid = client.appendMessage("INBOX", RawMessage.of(s.name(), s.raw()));
            } catch (ImapTestException refused) {
                continue;
            }
            try {
                byte[] back = rawHeaderFields(uid, fields);
                byte[] expected = io.mailferry.core.spi.MessageHeaders.extract(uid, s.raw().length,
                        new java.io.ByteArrayInputStream(s.raw()), fields).fields();
                if (!lines(back).equals(lines(expected))) {
                    changed.add(s + ": header fields came back changed");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                client.expunge("INBOX", uid);
            }
        }
        return changed;
    }

    private static String lines(byte[] fields) {
        return new String(fields, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n", "\n").strip();
    }

    /** LOGIN, EXAMINE INBOX and one header-field FETCH on a plain socket; returns the literal's bytes. */
    private byte[] rawHeaderFields(long uid, List<String> fields) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket(endpoint.host(), endpoint.port())) {
            socket.setSoTimeout(30_000);
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            java.io.OutputStream out = socket.getOutputStream();
            readLine(in); // greeting
            String user = access.credentials().username();
            String pass = access.credentials().password();
            command(in, out, "a LOGIN \"" + user + "\" \"" + pass + "\"", "a");
            command(in, out, "b EXAMINE INBOX", "b");
            out.write(("c UID FETCH " + uid + " BODY.PEEK[HEADER.FIELDS (" + String.join(" ", fields) + ")]\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            byte[] literal = null;
            while (true) {
                String line = readLine(in);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(line);
                if (line.startsWith("* ") && m.find()) {
                    literal = in.readNBytes(Integer.parseInt(m.group(1)));
                } else if (line.startsWith("c ")) {
                    if (!line.startsWith("c OK") || literal == null) {
                        throw new java.io.IOException("header FETCH failed: " + line);
                    }
                    out.write("d LOGOUT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    return literal;
                }
            }
        }
    }

    private static void command(java.io.InputStream in, java.io.OutputStream out, String line, String tag)
            throws java.io.IOException {
        out.write((line + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String reply = readLine(in);
            if (reply.startsWith(tag + " ")) {
                if (!reply.startsWith(tag + " OK")) {
                    throw new java.io.IOException(reply);
                }
                return;
            }
        }
    }

    private static String readLine(java.io.InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new java.io.EOFException("connection closed");
        }
        return b.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String differences(byte[] sent, byte[] back) {
        int nul = count(sent, (byte) 0);
        int lf = bareLf(sent);
        return " (sent: " + nul + " NUL, " + lf + " bare LF; returned: " + count(back, (byte) 0) + " NUL, "
                + bareLf(back) + " bare LF)";
    }

    private static int count(byte[] b, byte x) {
        int n = 0;
        for (byte c : b) {
            if (c == x) {
                n++;
            }
        }
        return n;
    }

    private static int bareLf(byte[] b) {
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                n++;
            }
        }
        return n;
    }

    /** Logs the independent client out; connector sessions are closed by the contract. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "ImapMailboxFixture[" + client + ", separator '" + separator + "', " + features + "]";
    }
}
