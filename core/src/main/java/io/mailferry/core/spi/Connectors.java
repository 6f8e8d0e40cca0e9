package io.mailferry.core.spi;

import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The connector providers a service uses, by endpoint type. Immutable and thread-safe.
 */
public final class Connectors {

    private final Map<EndpointType, ConnectorProvider> providers;

    private Connectors(Map<EndpointType, ConnectorProvider> providers) {
        this.providers = Map.copyOf(providers);
    }

    /**
     * Finds every provider on the class path with {@link ServiceLoader}.
     *
     * @param classLoader where to look, or {@code null} for the thread's context class loader
     * @return the providers found; a later one of the same type replaces an earlier one
     */
    public static Connectors discover(ClassLoader classLoader) {
        ClassLoader cl = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
        Map<EndpointType, ConnectorProvider> map = new LinkedHashMap<>();
        for (ConnectorProvider p : ServiceLoader.load(ConnectorProvider.class, cl)) {
            map.put(p.type(), p);
        }
        return new Connectors(map);
    }

    /**
     * Uses exactly the given providers.
     *
     * @param providers the providers; a later one of the same type replaces an earlier one
     * @return the registry
     */
    public static Connectors of(Collection<? extends ConnectorProvider> providers) {
        Map<EndpointType, ConnectorProvider> map = new LinkedHashMap<>();
        for (ConnectorProvider p : providers) {
            map.put(Objects.requireNonNull(p.type(), "provider type"), p);
        }
        return new Connectors(map);
    }

    /**
     * Returns a registry with one more provider (replacing one of the same type).
     *
     * @param provider the provider
     * @return a new registry
     */
    public Connectors with(ConnectorProvider provider) {
        Map<EndpointType, ConnectorProvider> map = new LinkedHashMap<>(providers);
        map.put(provider.type(), provider);
        return new Connectors(map);
    }

    /**
     * @param type an endpoint type
     * @return the provider for it, if any
     */
    public Optional<ConnectorProvider> find(EndpointType type) {
        return Optional.ofNullable(providers.get(type));
    }

    /**
     * @param type an endpoint type
     * @return the provider for it
     * @throws MigrationException naming the missing connector module if there is none
     */
    public ConnectorProvider require(EndpointType type) {
        ConnectorProvider p = providers.get(type);
        if (p == null) {
            throw new MigrationException("No connector for endpoint type " + type
                    + " is available; add the matching MailFerry connector module (for IMAP: "
                    + "io.mailferry:mailferry-imap-connector) to the class path. Available: " + providers.keySet());
        }
        return p;
    }

    /** Returns the providers. */
    public List<ConnectorProvider> providers() {
        return List.copyOf(providers.values());
    }
}
