package io.mailferry.cli.internal;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.imap.ImapEndpointPresets;
import io.mailferry.imap.ImapProperties;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The IMAP depth of the CLI: provider presets ({@code --preset}), endpoint properties
 * ({@code --imap-property}), OAuth authentication ({@code --auth xoauth2|oauthbearer}) and the
 * token command kept with an endpoint ({@code --oauth-token-command}).
 */
final class ImapEndpointSettings {

    /**
     * Endpoint property of the CLI: the OAuth token command of an IMAP endpoint (configuration, not
     * a secret; see {@link OAuthTokenCommand}). Kept in the state with the endpoint so commands run
     * later find it; the connector ignores it.
     */
    static final String TOKEN_COMMAND = "cli.oauth.tokenCommand";

    /**
     * What the engine is handed in place of a password on a login that uses OAuth: the connector
     * asks the CLI's token provider for the token and never sends this. Not a secret.
     */
    static final String OAUTH_PASSWORD = "(oauth)";

    private ImapEndpointSettings() {
    }

    /** {@code --preset}: a provider's settings. */
    enum Preset {
        /** {@link ImapEndpointPresets#gmail(String)}. */
        GMAIL("gmail", ImapEndpointPresets::gmail),
        /** {@link ImapEndpointPresets#microsoft365(String)}. */
        MICROSOFT365("microsoft365", ImapEndpointPresets::microsoft365);

        private final String label;
        private final Function<String, MigrationEndpoint.Builder> builder;

        Preset(String label, Function<String, MigrationEndpoint.Builder> builder) {
            this.label = label;
            this.builder = builder;
        }

        /** A builder with the provider's host, port, security, limits and properties. */
        MigrationEndpoint.Builder builder(String name) {
            return builder.apply(name);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Parses {@code gmail} or {@code microsoft365} (also {@code m365}, {@code office365}), any case. */
    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "gmail", "google", "googleworkspace" -> Preset.GMAIL;
                case "microsoft365", "m365", "office365", "exchangeonline" -> Preset.MICROSOFT365;
                default -> throw new TypeConversionException("use gmail or microsoft365, not '" + value + "'");
            };
        }
    }

    /** {@code --auth}: a login method of the endpoint, or an OAuth SASL mechanism. */
    enum Auth {
        AUTO(AuthenticationMethod.AUTO, null),
        LOGIN(AuthenticationMethod.LOGIN, null),
        PLAIN(AuthenticationMethod.PLAIN, null),
        /** SASL XOAUTH2 (Google, Microsoft). */
        XOAUTH2(null, "XOAUTH2"),
        /** SASL OAUTHBEARER (RFC 7628). */
        OAUTHBEARER(null, "OAUTHBEARER");

        private final AuthenticationMethod method;
        private final String mechanism;

        Auth(AuthenticationMethod method, String mechanism) {
            this.method = method;
            this.mechanism = mechanism;
        }

        /**
         * Applies the choice: a password method clears the OAuth mechanism, an OAuth mechanism sets
         * {@link ImapProperties#AUTH_MECHANISM}.
         *
         * @param b       the builder
         * @param removed collects property keys to remove from the built endpoint
         */
        void apply(MigrationEndpoint.Builder b, Set<String> removed) {
            if (mechanism != null) {
                b.property(ImapProperties.AUTH_MECHANISM, mechanism);
                removed.remove(ImapProperties.AUTH_MECHANISM);
            } else {
                b.authentication(method);
                removed.add(ImapProperties.AUTH_MECHANISM);
            }
        }
    }

    /** Parses {@code auto|login|plain|xoauth2|oauthbearer}, any case. */
    static final class AuthConverter implements CommandLine.ITypeConverter<Auth> {
        @Override
        public Auth convert(String value) {
            try {
                return Auth.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("use auto, login, plain, xoauth2 or oauthbearer, not '" + value + "'");
            }
        }
    }

    /**
     * The keys {@code --imap-property} accepts: every key of {@link ImapProperties} and the engine's
     * per-endpoint settings ({@link MigrationEndpoint#SKIP_CROSS_DUPLICATES}), sorted.
     */
    static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field f : ImapProperties.class.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                try {
                    keys.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        keys.add(MigrationEndpoint.SKIP_CROSS_DUPLICATES);
        return keys;
    }

    /**
     * Parses {@code KEY=VALUE} settings; an empty value removes the key (its default applies).
     *
     * @param option the option's name, for messages
     * @param given  the settings as given
     * @return the settings in the order given; {@code null} values for removed keys
     * @throws IllegalArgumentException for a setting without {@code =} or an unknown key, with the
     *                                  valid keys
     */
    static Map<String, String> parseProperties(String option, Collection<String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> known = knownKeys();
        Map<String, String> byLowerCase = new HashMap<>();
        known.forEach(k -> byLowerCase.put(k.toLowerCase(Locale.ROOT), k));
        for (String kv : given) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + ": give KEY=VALUE, not '" + kv + "'; valid keys: "
                        + String.join(", ", known));
            }
            String key = byLowerCase.get(kv.substring(0, eq).trim().toLowerCase(Locale.ROOT));
            if (key == null) {
                throw new IllegalArgumentException(option + ": unknown IMAP endpoint property '"
                        + kv.substring(0, eq).trim() + "'; valid keys: " + String.join(", ", known));
            }
            String value = kv.substring(eq + 1).trim();
            out.put(key, value.isEmpty() ? null : value);
        }
        return out;
    }

    /**
     * Applies parsed properties to a builder.
     *
     * @param removed collects the keys to remove from the built endpoint
     */
    static void applyProperties(MigrationEndpoint.Builder b, Map<String, String> properties, Set<String> removed) {
        properties.forEach((k, v) -> {
            if (v == null) {
                removed.add(k);
            } else {
                b.property(k, v);
                removed.remove(k);
            }
        });
    }

    /**
     * The endpoint without some properties (the builder cannot remove one).
     *
     * @param ep      the endpoint
     * @param removed keys to remove
     * @return the endpoint, or a copy without those keys
     */
    static MigrationEndpoint without(MigrationEndpoint ep, Set<String> removed) {
        if (removed.stream().noneMatch(ep.properties()::containsKey)) {
            return ep;
        }
        Map<String, String> p = new LinkedHashMap<>(ep.properties());
        p.keySet().removeAll(removed);
        return new MigrationEndpoint(ep.name(), ep.type(), ep.host(), ep.port(), ep.security(), ep.authentication(),
                ep.adminCredentials(), ep.impersonation(), ep.maxConcurrentMigrations(),
                ep.maxConcurrentIncrementalSyncs(), ep.acceptUntrustedCertificates(), ep.connectTimeout(),
                ep.readTimeout(), p);
    }

    /**
     * Checks the IMAP properties' values of a built endpoint as the connector will.
     *
     * @param option the option's name, for messages
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    static void validate(String option, MigrationEndpoint ep) {
        try {
            ImapProperties.validate(ep.properties());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        String skip = ep.properties().get(MigrationEndpoint.SKIP_CROSS_DUPLICATES);
        if (skip != null && !skip.equalsIgnoreCase("true") && !skip.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(option + ": IMAP endpoint property "
                    + MigrationEndpoint.SKIP_CROSS_DUPLICATES + " must be true or false, not '" + skip + "'");
        }
    }

    /** Whether the endpoint logs in with OAuth (XOAUTH2 or OAUTHBEARER). */
    static boolean usesOAuth(MigrationEndpoint ep) {
        String m = ep.properties().get(ImapProperties.AUTH_MECHANISM);
        return EndpointType.IMAP.equals(ep.type()) && m != null && !m.isBlank();
    }

    /** The endpoint's authentication as the CLI shows it: the OAuth mechanism, or the method. */
    static String authentication(MigrationEndpoint ep) {
        return usesOAuth(ep) ? ep.properties().get(ImapProperties.AUTH_MECHANISM).trim().toUpperCase(Locale.ROOT)
                : ep.authentication().name();
    }
}
