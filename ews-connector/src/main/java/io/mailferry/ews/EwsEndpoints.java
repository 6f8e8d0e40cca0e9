package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;

/**
 * Shortcuts for Exchange endpoints. Every setting is a plain {@link MigrationEndpoint} setting or
 * one of the {@link EwsProperties}; these only fill in EWS's defaults.
 *
 * <pre>{@code
 * MigrationEndpoint source = EwsEndpoints.exchange("exchange-2016")
 *         .host("mail.contoso.com")                         // https://mail.contoso.com/EWS/Exchange.asmx
 *         .adminCredentials(new Credentials("CONTOSO\\migrator", secret))   // ApplicationImpersonation
 *         .maxConcurrentMigrations(20)
 *         .build();
 * }</pre>
 */
public final class EwsEndpoints {
    private EwsEndpoints() {
    }

    /**
     * Starts an Exchange endpoint: type {@link EndpointType#EXCHANGE}, HTTPS on port 443.
     *
     * @param name the endpoint's unique name
     * @return a builder
     */
    public static MigrationEndpoint.Builder exchange(String name) {
        return MigrationEndpoint.builder(name, EndpointType.EXCHANGE).security(Security.SSL).port(443);
    }

    /**
     * Starts an Exchange endpoint that finds its EWS URL with Autodiscover from the given address
     * (e.g. the service account's), as {@code New-MigrationEndpoint -Autodiscover -EmailAddress} does.
     *
     * @param name         the endpoint's unique name
     * @param emailAddress the address to discover from
     * @param admin        the service account, with ApplicationImpersonation
     * @return a builder; its host is the address's domain (the first Autodiscover candidate)
     */
    public static MigrationEndpoint.Builder autodiscover(String name, String emailAddress, Credentials admin) {
        String domain = emailAddress.substring(emailAddress.lastIndexOf('@') + 1);
        return exchange(name).host(domain).adminCredentials(admin)
                .property(EwsProperties.AUTODISCOVER, "true")
                .property(EwsProperties.AUTODISCOVER_EMAIL, emailAddress);
    }
}
