package io.mailferry.imap.internal;

import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.imap.OAuthTokenProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code Test-MigrationServerAvailability} for IMAP: connect, negotiate TLS (from the first byte,
 * or STARTTLS), read the capabilities, log in if asked to, log out. Every failure becomes a
 * result. Used by {@link io.mailferry.imap.ImapConnectorProvider}; not public API.
 */
public final class ImapServerCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ImapServerCheck.class);

    private ImapServerCheck() {
    }

    /**
     * Tests an endpoint.
     *
     * @param endpoint an IMAP endpoint
     * @param access   who logs in, or {@code null} to stop after the capabilities
     * @param tokens   access tokens for an endpoint that logs in with XOAUTH2/OAUTHBEARER
     *                 ({@link io.mailferry.imap.ImapProperties#AUTH_MECHANISM}), as a migration would
     * @return the result; the latency is the time to the (secured) greeting
     */
    public static ServerAvailability test(MigrationEndpoint endpoint, MailboxAccess access, OAuthTokenProvider tokens) {
        boolean tls = endpoint.security() != Security.NONE;
        long start = System.nanoTime();
        ImapWire wire;
        ImapSettings settings;
        try {
            settings = ImapSettings.from(endpoint.properties());
            wire = ImapSessions.open(endpoint);
        } catch (ConnectorException e) {
            boolean reachable = e.kind() != ConnectorException.Kind.CONNECTION;
            return ServerAvailability.failure(endpoint, reachable, false, false, List.of(), null,
                    ServerAvailability.Failure.of(e.kind()), message(e));
        } catch (IllegalArgumentException e) {
            return ServerAvailability.failure(endpoint, false, false, false, List.of(), null,
                    ServerAvailability.Failure.NOT_SUPPORTED, e.getMessage());
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        List<String> capabilities = capabilities(wire);
        if (access == null) {
            logout(wire);
            return ServerAvailability.success(endpoint, tls, false, capabilities, latency);
        }
        try {
            ImapSessions.authenticate(wire, endpoint, access, settings, tokens);
        } catch (ConnectorException e) {
            wire.markBroken();
            return ServerAvailability.failure(endpoint, true, tls, true, capabilities, latency,
                    ServerAvailability.Failure.of(e.kind()), message(e));
        }
        capabilities = capabilities(wire);
        logout(wire);
        return ServerAvailability.success(endpoint, tls, true, capabilities, latency);
    }

    private static String message(ConnectorException e) {
        return e.getMessage() == null ? e.kind().name() : e.getMessage();
    }

    /** The capabilities as the server spelled them, sorted. */
    private static List<String> capabilities(ImapWire wire) {
        return List.copyOf(new TreeSet<>(wire.capabilityMap().values()));
    }

    private static void logout(ImapWire wire) {
        try {
            wire.logout();
        } catch (Exception | LinkageError e) {
            LOG.debug("LOGOUT from {} failed", wire.where(), e);
        } finally {
            try {
                wire.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("Closing the connection to {} failed", wire.where(), e);
            }
        }
    }
}
