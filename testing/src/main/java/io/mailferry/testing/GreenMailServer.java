package io.mailferry.testing;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHandler;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process GreenMail IMAP server (and optionally IMAPS) on 127.0.0.1 with free ports, whose
 * connections answer without Nagle's delay.
 *
 * <p>GreenMail writes a response in several small packets; with Nagle's algorithm on its sockets
 * and the client's delayed acknowledgements, every command then waits about 40 ms (measured
 * 44.5 ms per command here, 0.5 ms with {@code TCP_NODELAY}). This class installs IMAP services
 * that set {@code TCP_NODELAY} on accepted sockets, so tests and the demo run at the speed of the
 * code under test rather than of that wait.
 *
 * <pre>{@code
 * try (GreenMailServer server = GreenMailServer.start()) {
 *     server.greenMail().setUser("terry@example.test", "terry", "secret");
 *     int port = server.imapPort();
 * }
 * }</pre>
 */
public final class GreenMailServer implements AutoCloseable {

    /** The address every server here listens on. */
    public static final String HOST = "127.0.0.1";

    /** How long {@link #start()} waits at most for a service to run. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final NoDelayGreenMail greenMail;

    private static final long STARTUP_TIMEOUT_MS = 30_000;

    private GreenMailServer(NoDelayGreenMail greenMail) {
        this.greenMail = greenMail;
    }

    /**
     * Starts a server with IMAP only.
     *
     * @return the running server
     */
    public static GreenMailServer start() {
        return start(false);
    }

    /**
     * Starts a server with IMAP and IMAPS (GreenMail's self-signed certificate).
     *
     * @return the running server
     */
    public static GreenMailServer startWithImaps() {
        return start(true);
    }

    private static GreenMailServer start(boolean imaps) {
        List<ServerSetup> setups = new ArrayList<>();
        setups.add(setup(ServerSetup.PROTOCOL_IMAP));
        if (imaps) {
            setups.add(setup(ServerSetup.PROTOCOL_IMAPS));
        }
        // GreenMail's default of 2 s to start is not enough on a loaded build machine (IMAPS sets up TLS).
        setups.forEach(s -> s.setServerStartupTimeout(STARTUP_TIMEOUT_MS));
        NoDelayGreenMail gm = new NoDelayGreenMail(setups.toArray(new ServerSetup[0]));
        gm.start();
        return new GreenMailServer(gm);
    }

    /**
     * A service on a free port. GreenMail waits at most 2 s for a service by default; on a loaded
     * machine starting IMAPS (TLS set-up) has taken longer, so {@link #STARTUP_TIMEOUT} is given
     * (the wait ends as soon as the service runs).
     */
    private static ServerSetup setup(String protocol) {
        ServerSetup s = new ServerSetup(0, HOST, protocol);
        s.setServerStartupTimeout(STARTUP_TIMEOUT.toMillis());
        return s;
    }

    /** Returns GreenMail itself, e.g. to add users ({@link GreenMail#setUser(String, String, String)}). */
    public GreenMail greenMail() {
        return greenMail;
    }

    /** Returns the IMAP port. */
    public int imapPort() {
        return greenMail.service(ServerSetup.PROTOCOL_IMAP).getPort();
    }

    /**
     * Returns the IMAPS port.
     *
     * @throws IllegalStateException if the server was started without IMAPS
     */
    public int imapsPort() {
        return greenMail.service(ServerSetup.PROTOCOL_IMAPS).getPort();
    }

    /** Stops the server. */
    @Override
    public void close() {
        greenMail.stop();
    }

    /** GreenMail with its IMAP services replaced by ones that set TCP_NODELAY. */
    private static final class NoDelayGreenMail extends GreenMail {
        NoDelayGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers mgr) {
            Map<String, AbstractServer> services = super.createServices(config, mgr);
            for (ServerSetup s : config) {
                if (s.getProtocol().equals(ServerSetup.PROTOCOL_IMAP) || s.getProtocol().equals(ServerSetup.PROTOCOL_IMAPS)) {
                    services.put(s.getProtocol(), new NoDelayImapServer(s, mgr));
                }
            }
            return services;
        }

        AbstractServer service(String protocol) {
            AbstractServer s = services.get(protocol);
            if (s == null) {
                throw new IllegalStateException("this GreenMail server has no " + protocol + " service");
            }
            return s;
        }
    }

    /** GreenMail's IMAP server, with TCP_NODELAY on each connection. */
    private static final class NoDelayImapServer extends AbstractServer {
        NoDelayImapServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket socket) {
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
            return new ImapHandler(managers.getUserManager(), managers.getImapHostManager(), socket);
        }
    }
}
