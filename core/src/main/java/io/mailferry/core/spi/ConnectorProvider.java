package io.mailferry.core.spi;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.ServerAvailability;

import java.time.Duration;
import java.util.List;

/**
 * Opens mailboxes on endpoints of one {@link EndpointType}. Found with {@link java.util.ServiceLoader};
 * implementations need a public no-argument constructor and must be thread-safe.
 */
public interface ConnectorProvider {

    /** Returns the endpoint type this provider serves, e.g. {@link EndpointType#IMAP}. */
    EndpointType type();

    /**
     * Connects, secures and logs in to a mailbox to read from it. The source is never modified.
     *
     * @param endpoint the endpoint, of this provider's type
     * @param access   which mailbox and with which credentials
     * @return an open source mailbox; the caller closes it
     * @throws ConnectorException if the server cannot be reached, refuses the login, or fails
     */
    SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access);

    /**
     * Connects, secures and logs in to a mailbox to write to it.
     *
     * @param endpoint the endpoint, of this provider's type
     * @param access   which mailbox and with which credentials
     * @return an open target mailbox; the caller closes it
     * @throws ConnectorException if the server cannot be reached, refuses the login, or fails
     */
    TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access);

    /**
     * Tests whether an endpoint can be reached and logged in to ({@code Test-MigrationServerAvailability}):
     * connects, negotiates the endpoint's security, logs in with {@code access} if given, and lists
     * what the server offers. Never throws for a failure of the server or the network: the result
     * says how far the test got and why it stopped.
     *
     * <p>The default opens a source mailbox with {@code access} (reading nothing) and reports the
     * session's {@link ConnectorCapability capabilities}; it cannot test without credentials and
     * then returns {@link ServerAvailability.Failure#NOT_SUPPORTED}. Connectors should override it
     * to connect without logging in, and to report the protocol's own capability names.
     *
     * @param endpoint the endpoint, of this provider's type
     * @param access   who logs in (the mailbox owner, or an administrator as themselves), or
     *                 {@code null} to test the connection without logging in
     * @return the result, never {@code null}
     */
    default ServerAvailability testConnection(MigrationEndpoint endpoint, MailboxAccess access) {
        if (access == null) {
            return ServerAvailability.failure(endpoint, false, false, false, List.of(), null,
                    ServerAvailability.Failure.NOT_SUPPORTED, "The " + type()
                            + " connector cannot test a connection without credentials");
        }
        long start = System.nanoTime();
        try (SourceMailbox box = openSource(endpoint, access)) {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return ServerAvailability.success(endpoint, endpoint.security() != Security.NONE, true,
                    box.capabilities().stream().map(Enum::name).sorted().toList(), latency);
        } catch (ConnectorException e) {
            ConnectorException.Kind kind = e.kind();
            boolean reachable = kind != ConnectorException.Kind.CONNECTION;
            boolean tls = reachable && kind != ConnectorException.Kind.TLS && endpoint.security() != Security.NONE;
            return ServerAvailability.failure(endpoint, reachable, tls, reachable && kind != ConnectorException.Kind.TLS,
                    List.of(), null, ServerAvailability.Failure.of(kind),
                    e.getMessage() == null ? kind.name() : e.getMessage());
        }
    }
}
