package io.mailferry.core.engine;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationException;
import io.mailferry.core.MigrationUserEntry;
import io.mailferry.core.store.SecretStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Hands the secrets the store never sees to the host's {@link SecretStore}, and takes them back
 * when a restarted service loads its endpoints and batches. Without a secret store it does nothing:
 * secrets then live in the service's memory only. Names as {@link SecretStore} documents.
 */
final class SecretKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeeper.class);

    private final SecretStore secrets;

    /** @param secrets the host's secret store, or {@code null} for none */
    SecretKeeper(SecretStore secrets) {
        this.secrets = secrets;
    }

    static String endpointSecret(String endpoint) {
        return "endpoint/" + encode(endpoint) + "/admin";
    }

    static String userSecret(String batch, String emailAddress, String side) {
        return "user/" + encode(batch) + "/" + encode(emailAddress.trim().toLowerCase(Locale.ROOT)) + "/" + side;
    }

    /** Percent-encodes what is not printable ASCII, and {@code /} and {@code %}. */
    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '/' && c != '%') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    /** Keeps an endpoint's administrator password (or forgets it when there is none). */
    void remember(MigrationEndpoint endpoint) {
        if (secrets == null) {
            return;
        }
        String name = endpointSecret(endpoint.name());
        Optional<Credentials> admin = endpoint.admin().filter(c -> !c.password().isEmpty());
        if (admin.isPresent()) {
            secrets.put(name, admin.get().password());
        } else if (endpoint.admin().isEmpty()) {
            secrets.delete(name);
        }
    }

    /** An endpoint loaded from the store, with its administrator password if one is kept. */
    MigrationEndpoint restore(MigrationEndpoint endpoint) {
        if (secrets == null || endpoint.admin().isEmpty() || !endpoint.admin().get().password().isEmpty()) {
            return endpoint;
        }
        return read(endpointSecret(endpoint.name()), "endpoint '" + endpoint.name() + "'")
                .map(p -> endpoint.toBuilder().adminCredentials(new Credentials(endpoint.admin().get().username(), p))
                        .build())
                .orElse(endpoint);
    }

    /** Keeps a user's passwords (and forgets those the row no longer has). */
    void remember(String batch, MigrationUserEntry entry) {
        if (secrets == null) {
            return;
        }
        put(userSecret(batch, entry.emailAddress(), "source"), entry.sourcePassword());
        put(userSecret(batch, entry.emailAddress(), "target"), entry.targetPassword());
    }

    private void put(String name, String secret) {
        if (secret == null || secret.isEmpty()) {
            secrets.delete(name);
        } else {
            secrets.put(name, secret);
        }
    }

    /** A user row loaded from the store, with the passwords that are kept. */
    MigrationUserEntry restore(String batch, MigrationUserEntry entry) {
        if (secrets == null) {
            return entry;
        }
        String who = "user " + entry.emailAddress() + " of batch '" + batch + "'";
        String source = entry.sourcePassword() != null ? entry.sourcePassword()
                : read(userSecret(batch, entry.emailAddress(), "source"), who).orElse(null);
        String target = entry.targetPassword();
        if (entry.targetUserName() != null && (target == null || target.isEmpty())) {
            target = read(userSecret(batch, entry.emailAddress(), "target"), who).orElse(target);
        }
        if (source == null && (target == null || target.equals(entry.targetPassword()))) {
            return entry;
        }
        return new MigrationUserEntry(entry.emailAddress(), entry.sourceUserName(), source, entry.targetUserName(),
                target, entry.userRoot());
    }

    /** Forgets a user's passwords (the user left the batch, or the batch is removed). */
    void forget(String batch, String emailAddress) {
        if (secrets == null) {
            return;
        }
        secrets.delete(userSecret(batch, emailAddress, "source"));
        secrets.delete(userSecret(batch, emailAddress, "target"));
    }

    private Optional<String> read(String name, String whose) {
        try {
            return secrets.get(name);
        } catch (MigrationException e) {
            LOG.warn("The secret of {} could not be read ({}); supply it again", whose, e.getMessage());
            return Optional.empty();
        }
    }
}
