package io.mailferry.core.store;

import java.util.Optional;

/**
 * Where a {@link io.mailferry.core.MigrationService} keeps the secrets it needs again after a
 * restart: endpoints' administrator passwords and users' passwords. The {@link MigrationStore}
 * never holds them in clear text; a host that wants a restarted service to continue without being
 * handed the passwords again provides a secret store: its own (a vault, a key management service)
 * or {@link EncryptingSecretStore}, which keeps them AES-GCM-encrypted in the migration store under
 * a key the host holds. Without one, the service keeps secrets in memory only.
 *
 * <p>Names are printable ASCII paths chosen by the service:
 * <ul>
 *   <li>{@code endpoint/<endpoint name>/admin}: an endpoint's administrator password;</li>
 *   <li>{@code user/<batch name>/<lower-cased e-mail address>/source} and {@code …/target}: a
 *       user's source and target passwords.</li>
 * </ul>
 * Endpoint, batch and address parts are percent-encoded where they hold {@code /}, {@code %} or
 * characters outside printable ASCII.
 *
 * <p>Implementations are thread-safe. They never put a secret into a log, an exception message or
 * {@code toString()}.
 */
public interface SecretStore {

    /**
     * Keeps a secret, replacing one of the same name.
     *
     * @param name   the secret's name, not {@code null}
     * @param secret the secret, not {@code null}
     * @throws io.mailferry.core.MigrationException if it cannot be kept
     */
    void put(String name, String secret);

    /**
     * @param name a secret's name
     * @return the secret, if one is kept under that name
     * @throws io.mailferry.core.MigrationException if it cannot be read (e.g. a wrong key)
     */
    Optional<String> get(String name);

    /**
     * Forgets a secret; nothing happens if there is none of that name.
     *
     * @param name the secret's name
     * @throws io.mailferry.core.MigrationException if it cannot be deleted
     */
    void delete(String name);
}
