package io.mailferry.cli.crash;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of an IMAP server that reads the conversation as it passes (command lines,
 * literals, responses) and, at a {@link KillPoint}, holds every byte and kills the process it runs
 * in with SIGKILL: so a crash lands exactly between two protocol events, the same ones each run,
 * without any hook in the code under test. Plain IMAP only (no TLS, no COMPRESS).
 */
public final class KillingImapProxy implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\+?}\\r?\\n$");
    private static volatile boolean frozen;

    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final KillPoint point;
    private final Runnable kill;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger fetchResponsesLeft = new AtomicInteger(-1);
    private volatile String armedTag;

    /**
     * @param upstreamHost the IMAP server
     * @param upstreamPort its port
     * @param point        where to kill, or {@code null} to only pass traffic
     * @param kill         kills the process (never returns normally)
     * @throws IOException if no local port can be opened
     */
    public KillingImapProxy(String upstreamHost, int upstreamPort, KillPoint point, Runnable kill) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.point = point;
        this.kill = kill;
        Thread accept = new Thread(this::acceptLoop, "proxy-accept-" + upstreamPort);
        accept.setDaemon(true);
        accept.start();
    }

    /** Returns the local port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                start(() -> pump(client, upstream, true), "proxy-c2s");
                start(() -> pump(upstream, client, false), "proxy-s2c");
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        try (InputStream rawIn = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            BufferedInputStream in = new BufferedInputStream(rawIn, 64 * 1024);
            boolean lineStart = true;
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                line.reset();
                int b;
                while ((b = in.read()) >= 0) {
                    line.write(b);
                    if (b == '\n') {
                        break;
                    }
                }
                if (line.size() == 0) {
                    break;
                }
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (lineStart) {
                    inspect(text, fromClient);
                }
                holdIfFrozen();
                line.writeTo(out);
                Matcher m = LITERAL.matcher(text);
                if (m.find()) {
                    long left = Long.parseLong(m.group(1));
                    while (left > 0) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            return;
                        }
                        holdIfFrozen();
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                    lineStart = false;
                } else {
                    lineStart = true;
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // a side closed: so does the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void inspect(String line, boolean fromClient) {
        if (point == null) {
            return;
        }
        if (fromClient) {
            String[] words = line.strip().split(" ", 4);
            if (words.length < 2) {
                return;
            }
            String tag = words[0];
            String command = words[1].toUpperCase(Locale.ROOT);
            if (command.equals("UID") && words.length > 2) {
                command = "UID " + words[2].toUpperCase(Locale.ROOT);
            }
            switch (point.kind()) {
                case FETCH -> {
                    if (command.equals("UID FETCH") && line.toUpperCase(Locale.ROOT).contains("BODY.PEEK[]")
                            && seen.incrementAndGet() == point.n()) {
                        fetchResponsesLeft.set(Math.max(1, point.responses()));
                    }
                }
                case APPEND_SENT -> {
                    if (command.equals("APPEND") && seen.incrementAndGet() == point.n()) {
                        die();
                    }
                }
                case APPEND_STORED -> arm(command.equals("APPEND"), tag);
                case CREATE -> arm(command.equals("CREATE"), tag);
                case STORE -> arm(command.equals("UID STORE"), tag);
            }
            return;
        }
        if (fetchResponsesLeft.get() > 0 && line.startsWith("* ") && line.contains(" FETCH ")
                && fetchResponsesLeft.decrementAndGet() == 0) {
            die();
        }
        String tag = armedTag;
        if (tag != null && line.startsWith(tag + " ")) {
            die();
        }
    }

    private void arm(boolean matches, String tag) {
        if (matches && seen.incrementAndGet() == point.n()) {
            armedTag = tag;
        }
    }

    private void die() {
        frozen = true;
        kill.run();
        holdIfFrozen();
    }

    /** Once a kill is decided, no byte moves any more in any connection. */
    private static void holdIfFrozen() {
        while (frozen) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
