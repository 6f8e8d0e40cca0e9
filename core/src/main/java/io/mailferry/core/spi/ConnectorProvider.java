package io.mailferry.core.spi;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;

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
}
