package io.mailferry.ews.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointType;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.ews.EwsEndpoints;
import io.mailferry.ews.EwsProperties;
import microsoft.exchange.webservices.data.core.enumeration.misc.ExchangeVersion;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EwsSettingsTest {

    private static final MailboxAccess ADMIN = MailboxAccess.impersonating("terry@contoso.com",
            new Credentials("CONTOSO\\migrator", "s3cret-pw"));

    @Test
    void defaultsBuildTheUrlFromTheHostAndImpersonateWithTheServiceAccount() {
        EwsSettings s = EwsSettings.of(EwsEndpoints.exchange("e").host("mail.contoso.com").build(), ADMIN);

        assertThat(s.url()).isEqualTo(URI.create("https://mail.contoso.com:443/EWS/Exchange.asmx"));
        assertThat(s.https()).isTrue();
        assertThat(s.autodiscover()).isFalse();
        assertThat(s.authentication()).isEqualTo(EwsSettings.Authentication.AUTO);
        assertThat(s.serverVersion()).isEqualTo(ExchangeVersion.Exchange2010_SP2);
        assertThat(s.impersonate()).isTrue();
        assertThat(s.loginDomain()).isEqualTo("CONTOSO");
        assertThat(s.loginUser()).isEqualTo("migrator");
        assertThat(s.anchorMailbox()).isEqualTo("terry@contoso.com");
        assertThat(s.syncPageSize()).isEqualTo(512);
        assertThat(s.maxConcurrentRequests()).isEqualTo(EwsProperties.DEFAULT_MAX_CONCURRENT_REQUESTS);
        assertThat(s.userAgent()).startsWith("MailFerry/");
        assertThat(s.exportItems()).isFalse();
        assertThat(s.matchExisting()).isTrue();
        assertThat(s.maxBytesInFlight()).isPositive();
    }

    @Test
    void theImapDefaultPortsOfTheEndpointBuilderMeanTheHttpDefaults() {
        MigrationEndpoint ssl = MigrationEndpoint.builder("e", EndpointType.EXCHANGE).host("h").build();
        MigrationEndpoint plain = MigrationEndpoint.builder("e", EndpointType.EXCHANGE).host("h")
                .security(Security.NONE).build();

        assertThat(EwsSettings.of(ssl, ADMIN).url()).isEqualTo(URI.create("https://h:443/EWS/Exchange.asmx"));
        assertThat(EwsSettings.of(plain, ADMIN).url()).isEqualTo(URI.create("http://h:80/EWS/Exchange.asmx"));
    }

    @Test
    void anExplicitUrlAutodiscoverAndTuningAreRead() {
        MigrationEndpoint e = EwsEndpoints.exchange("e").host("contoso.com")
                .property(EwsProperties.AUTODISCOVER, "true")
                .property(EwsProperties.AUTODISCOVER_ALLOWED_HOSTS, "*.contoso-mail.net, mx.example.org")
                .property(EwsProperties.AUTHENTICATION, "Basic")
                .property(EwsProperties.SERVER_VERSION, "Exchange2010_SP1")
                .property(EwsProperties.SYNC_PAGE_SIZE, "100")
                .property(EwsProperties.ITEM_TRANSFER, "export")
                .build();
        EwsSettings s = EwsSettings.of(e, ADMIN);

        assertThat(s.url()).isNull();
        assertThat(s.autodiscover()).isTrue();
        assertThat(s.autodiscoverEmail()).isEqualTo("terry@contoso.com");
        assertThat(s.allowedHosts()).containsExactly("*.contoso-mail.net", "mx.example.org");
        assertThat(s.authentication()).isEqualTo(EwsSettings.Authentication.BASIC);
        assertThat(s.serverVersion()).isEqualTo(ExchangeVersion.Exchange2010_SP1);
        assertThat(s.syncPageSize()).isEqualTo(100);
        assertThat(s.exportItems()).isTrue();

        EwsSettings explicit = EwsSettings.of(EwsEndpoints.exchange("e").host("ignored")
                .property(EwsProperties.URL, "https://cas01.contoso.com/EWS/Exchange.asmx").build(), ADMIN);
        assertThat(explicit.url()).isEqualTo(URI.create("https://cas01.contoso.com/EWS/Exchange.asmx"));
    }

    @Test
    void invalidSettingsNameTheirKey() {
        assertThatThrownBy(() -> EwsSettings.of(EwsEndpoints.exchange("e").host("h").security(Security.STARTTLS).build(),
                ADMIN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STARTTLS");
        assertThatThrownBy(() -> EwsSettings.of(EwsEndpoints.exchange("e").host("h")
                .property(EwsProperties.SYNC_PAGE_SIZE, "513").build(), ADMIN))
                .hasMessageContaining(EwsProperties.SYNC_PAGE_SIZE).hasMessageContaining("512");
        assertThatThrownBy(() -> EwsSettings.of(EwsEndpoints.exchange("e").host("h")
                .property(EwsProperties.AUTHENTICATION, "kerberos").build(), ADMIN))
                .hasMessageContaining(EwsProperties.AUTHENTICATION);
        assertThatThrownBy(() -> EwsSettings.of(EwsEndpoints.exchange("e").host("h")
                .property(EwsProperties.URL, "http://plain.example/EWS/Exchange.asmx").build(), ADMIN))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> EwsSettings.of(EwsEndpoints.exchange("e").host("h")
                .property(EwsProperties.ITEM_TRANSFER, "export")
                .property(EwsProperties.SERVER_VERSION, "Exchange2010").build(), ADMIN))
                .hasMessageContaining("Exchange2010_SP1");
        assertThatThrownBy(() -> EwsSettings.of(MigrationEndpoint.imap("i").host("h").build(), ADMIN))
                .hasMessageContaining("not EXCHANGE");
    }

    @Test
    void toStringShowsNoSecret() {
        EwsSettings s = EwsSettings.of(EwsEndpoints.exchange("e").host("h")
                .property(EwsProperties.TRUST_STORE, "/tmp/t.p12")
                .property(EwsProperties.TRUST_STORE_PASSWORD, "store-secret").build(), ADMIN);

        assertThat(s.toString()).doesNotContain("s3cret-pw").contains("****");
        assertThat(s.tls().toString()).doesNotContain("store-secret");
        assertThat(s.forConnectionTest(false).toString()).doesNotContain("s3cret-pw");
    }
}
