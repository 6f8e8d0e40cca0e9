package io.mailferry.core.spi.memory;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.UnableToConnectException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens sessions on {@link InMemoryMailServer}s: an endpoint reaches the server {@linkplain #register
 * registered} under its host name. Serves its own endpoint type {@link #TYPE} ({@code MEMORY}), or a
 * type given to the constructor (e.g. {@link EndpointType#IMAP}, to stand in for a real connector).
 *
 * <pre>{@code
 * InMemoryMailServer source = new InMemoryMailServer("old.test").addUser("alice", "pw");
 * InMemoryConnectorProvider memory = new InMemoryConnectorProvider().register(source);
 * MigrationEndpoint endpoint = memory.endpoint("old", source).maxConcurrentMigrations(2).build();
 * MigrationService service = MigrationService.builder().connector(memory).build();
 * }</pre>
 *
 * <p>Not registered with {@link java.util.ServiceLoader}: tests pass it to the service explicitly.
 * Thread-safe.
 */
public final class InMemoryConnectorProvider implements ConnectorProvider {

    /** The endpoint type of in-memory servers. */
    public static final EndpointType TYPE = new EndpointType("MEMORY");

    private final EndpointType type;
    private final Map<String, InMemoryMailServer> servers = new ConcurrentHashMap<>();

    /** A provider of type {@link #TYPE}. */
    public InMemoryConnectorProvider() {
        this(TYPE);
    }

    /**
     * @param type the endpoint type to serve
     */
    public InMemoryConnectorProvider(EndpointType type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Makes a server reachable under its host name.
     *
     * @param server the server
     * @return this provider
     */
    public InMemoryConnectorProvider register(InMemoryMailServer server) {
        servers.put(server.host(), server);
        return this;
    }

    /**
     * Registers a server and starts an endpoint description that reaches it (plaintext, port 143).
     *
     * @param name   the endpoint name
     * @param server the server
     * @return a builder to adjust (limits, admin credentials) and build
     */
    public MigrationEndpoint.Builder endpoint(String name, InMemoryMailServer server) {
        register(server);
        return MigrationEndpoint.builder(name, type).host(server.host()).security(Security.NONE).port(143);
    }

    @Override
    public EndpointType type() {
        return type;
    }

    @Override
    public SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
        return server(endpoint).openSource(access);
    }

    @Override
    public TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
        return server(endpoint).openTarget(access);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Without credentials: reachable if a server is registered under the endpoint's host (and
     * {@linkplain InMemoryMailServer#reachable(boolean) reachable}), with the server's capabilities;
     * with credentials, as the default: a source session is opened.
     */
    @Override
    public ServerAvailability testConnection(MigrationEndpoint endpoint, MailboxAccess access) {
        if (access != null) {
            return ConnectorProvider.super.testConnection(endpoint, access);
        }
        InMemoryMailServer s = servers.get(endpoint.host().toLowerCase(Locale.ROOT));
        if (s == null || !s.isReachable()) {
            return ServerAvailability.failure(endpoint, false, false, false, List.of(), null,
                    ServerAvailability.Failure.CONNECTION, "No in-memory server at " + endpoint.host() + ":" + endpoint.port());
        }
        return ServerAvailability.success(endpoint, false, false,
                s.capabilities().stream().map(Enum::name).sorted().toList(), Duration.ZERO);
    }

    private InMemoryMailServer server(MigrationEndpoint endpoint) {
        if (!endpoint.type().equals(type)) {
            throw new IllegalArgumentException("endpoint '" + endpoint.name() + "' is of type " + endpoint.type()
                    + ", this provider serves " + type);
        }
        InMemoryMailServer s = servers.get(endpoint.host().toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new UnableToConnectException(ConnectorException.Kind.CONNECTION, "No in-memory server at "
                    + endpoint.host() + ":" + endpoint.port(), null);
        }
        return s;
    }
}
