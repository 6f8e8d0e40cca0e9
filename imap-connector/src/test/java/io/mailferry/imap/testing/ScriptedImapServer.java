package io.mailferry.imap.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny IMAP server on 127.0.0.1 that answers each command with whatever a test's {@link Handler}
 * returns: for protocol situations a real server cannot be made to produce on demand (a refused
 * MULTIAPPEND, OVERQUOTA, throttling, a dropped connection, servers with or without SPECIAL-USE,
 * BINARY, LOGINDISABLED…). It understands literals ({@code {n}}, {@code {n+}}, {@code ~{n}},
 * {@code ~{n+}}) and the SASL PLAIN exchange, records every command, and serves connections one
 * after the other on one background thread.
 */
public final class ScriptedImapServer implements AutoCloseable {

    /**
     * A command as received.
     *
     * @param tag      its tag
     * @param name     the command name in upper case ({@code UID FETCH} for UID commands)
     * @param line     the command line, each literal replaced by {@code <literal:n>} or
     *                 {@code <literal8:n>}; for AUTHENTICATE PLAIN the decoded response follows
     *                 as {@code <sasl:authzid\0authcid\0password>}
     * @param literals the literals' bytes, in order
     */
    public record Command(String tag, String name, String line, List<byte[]> literals) {
    }

    /** Answers commands. */
    public interface Handler {
        /**
         * @param c the command
         * @return lines to send (without CRLF), the last normally the tagged completion; an empty
         *         list closes the connection without an answer
         */
        List<String> handle(Command c);

        /**
         * Called before the continuation of a synchronising literal.
         *
         * @param tag         the command's tag
         * @param lineSoFar   the command line up to the literal
         * @return {@code null} to accept the literal, or a tagged line that refuses the command
         */
        default String beforeLiteral(String tag, String lineSoFar) {
            return null;
        }
    }

    private static final Pattern LITERAL = Pattern.compile("(~?)\\{(\\d+)(\\+?)}$");

    private final ServerSocket socket;
    private final String capabilities;
    private final Handler handler;
    private final List<Command> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the server.
     *
     * @param capabilities capability list sent in the greeting and to CAPABILITY, e.g.
     *                     {@code IMAP4rev1 LITERAL+ UIDPLUS}
     * @param handler      answers every command but CAPABILITY, NOOP and LOGOUT
     * @throws IOException if no port can be opened
     */
    public ScriptedImapServer(String capabilities, Handler handler) throws IOException {
        this.socket = new ServerSocket(0, 5, InetAddress.getByName(GreenMailImap.HOST));
        this.capabilities = capabilities;
        this.handler = handler;
        this.thread = new Thread(this::serve, "scripted-imap-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns the port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Returns the commands received so far. */
    public List<Command> received() {
        return List.copyOf(received);
    }

    /** Returns the received commands with this name. */
    public List<Command> received(String name) {
        return received.stream().filter(c -> c.name().equals(name)).toList();
    }

    private void serve() {
        while (!closed) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(30_000);
                session(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            } catch (IOException e) {
                // connection over; wait for the next unless closed
            }
        }
    }

    private void session(InputStream in, OutputStream out) throws IOException {
        send(out, "* OK [CAPABILITY " + capabilities + "] scripted server ready");
        while (true) {
            Command c = read(in, out);
            if (c == null) {
                return;
            }
            received.add(c);
            List<String> answer;
            switch (c.name()) {
                case "CAPABILITY" -> answer = List.of("* CAPABILITY " + capabilities, c.tag() + " OK done");
                case "NOOP" -> answer = List.of(c.tag() + " OK done");
                case "LOGOUT" -> answer = List.of("* BYE bye", c.tag() + " OK done");
                default -> answer = handler.handle(c);
            }
            if (answer.isEmpty()) {
                return; // drop the connection
            }
            for (String line : answer) {
                send(out, line);
            }
            if (c.name().equals("LOGOUT")) {
                return;
            }
        }
    }

    /** Reads one command with its literals; {@code null} at the end of the stream. */
    private Command read(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        List<byte[]> literals = new ArrayList<>();
        String tag = null;
        while (true) {
            String part = readLine(in);
            if (part == null) {
                return null;
            }
            if (tag == null) {
                tag = part.split(" ", 2)[0];
            }
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                line.append(part);
                break;
            }
            boolean literal8 = !m.group(1).isEmpty();
            int size = Integer.parseInt(m.group(2));
            boolean nonSync = !m.group(3).isEmpty();
            line.append(part, 0, m.start()).append(literal8 ? "<literal8:" : "<literal:").append(size).append('>');
            if (!nonSync) {
                String refusal = handler.beforeLiteral(tag, line.toString());
                if (refusal != null) {
                    send(out, refusal);
                    received.add(new Command(tag, name(line.toString()), line.toString(), literals));
                    return read(in, out);
                }
                send(out, "+ go ahead");
            }
            literals.add(in.readNBytes(size));
        }
        String text = line.toString();
        String name = name(text);
        if (name.equals("AUTHENTICATE")) {
            send(out, "+ ");
            String response = readLine(in);
            String decoded = new String(Base64.getDecoder().decode(response == null ? "" : response.trim()),
                    StandardCharsets.UTF_8);
            text = text + " <sasl:" + decoded + ">";
        }
        return new Command(tag, name, text, literals);
    }

    private static String name(String line) {
        String[] words = line.split(" ");
        if (words.length < 2) {
            return "";
        }
        String name = words[1].toUpperCase(Locale.ROOT);
        if (name.equals("UID") && words.length > 2) {
            name = "UID " + words[2].toUpperCase(Locale.ROOT);
        }
        return name;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n' && prev == '\r') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
