package io.mailferry.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationEndpointTest {

    @Test
    void imapBuilderHasTheDocumentedDefaults() {
        MigrationEndpoint ep = MigrationEndpoint.imap("old").host("imap.old.example").build();

        assertThat(ep.type()).isEqualTo(EndpointType.IMAP);
        assertThat(ep.security()).isEqualTo(Security.SSL);
        assertThat(ep.port()).isEqualTo(993);
        assertThat(ep.authentication()).isEqualTo(AuthenticationMethod.AUTO);
        assertThat(ep.impersonation()).isEqualTo(Impersonation.SASL_AUTHORIZATION_ID);
        assertThat(ep.admin()).isEmpty();
        assertThat(ep.maxConcurrentMigrations()).isEqualTo(100);
        assertThat(ep.maxConcurrentIncrementalSyncs()).isEqualTo(20);
        assertThat(ep.acceptUntrustedCertificates()).isFalse();
        assertThat(ep.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ep.readTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ep.properties()).isEmpty();
    }

    @Test
    void portDefaultsTo143WithoutImplicitTls() {
        assertThat(MigrationEndpoint.imap("a").host("h").security(Security.STARTTLS).build().port()).isEqualTo(143);
        assertThat(MigrationEndpoint.imap("a").host("h").security(Security.NONE).build().port()).isEqualTo(143);
        assertThat(MigrationEndpoint.imap("a").host("h").port(1993).build().port()).isEqualTo(1993);
    }

    @Test
    void incrementalLimitDefaultsToTwentyButNeverAboveTheMigrationLimit() {
        assertThat(MigrationEndpoint.imap("a").host("h").maxConcurrentMigrations(5).build().maxConcurrentIncrementalSyncs())
                .isEqualTo(5);
        assertThat(MigrationEndpoint.imap("a").host("h").maxConcurrentMigrations(50).build().maxConcurrentIncrementalSyncs())
                .isEqualTo(20);
    }

    @Test
    void aMissingHostIsReportedWithTheEndpointName() {
        assertThatThrownBy(() -> MigrationEndpoint.imap("old").build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'old'").hasMessageContaining("host");
    }

    @Test
    void outOfRangeSettingsAreRejectedWithTheEndpointName() {
        assertThatThrownBy(() -> MigrationEndpoint.imap(" ").host("h").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ep'").hasMessageContaining("host");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").port(70000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").port(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").maxConcurrentMigrations(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentMigrations");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").maxConcurrentIncrementalSyncs(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConcurrentIncrementalSyncs");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").maxConcurrentMigrations(5)
                .maxConcurrentIncrementalSyncs(6).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-5");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").connectTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeouts");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host("h").readTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeouts");
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").host(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MigrationEndpoint.imap("ep").security(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBuilderCanBeReusedWithoutChangingEndpointsAlreadyBuilt() {
        MigrationEndpoint.Builder b = MigrationEndpoint.imap("ep").host("h").property("folderPrefix", "INBOX.");
        MigrationEndpoint first = b.build();

        MigrationEndpoint second = b.property("folderPrefix", "").maxConcurrentMigrations(3).build();

        assertThat(first.properties()).containsExactly(Map.entry("folderPrefix", "INBOX."));
        assertThat(first.maxConcurrentMigrations()).isEqualTo(100);
        assertThat(second.properties()).containsExactly(Map.entry("folderPrefix", ""));
        assertThatThrownBy(() -> first.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderRecreatesAnEqualEndpoint() {
        MigrationEndpoint ep = MigrationEndpoint.imap("ep").host("h").port(1143).security(Security.STARTTLS)
                .authentication(AuthenticationMethod.PLAIN).adminCredentials(new Credentials("admin", "s3cret"))
                .impersonation(Impersonation.loginString("*")).maxConcurrentMigrations(7)
                .maxConcurrentIncrementalSyncs(3).acceptUntrustedCertificates(true)
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(9)).property("k", "v").build();

        assertThat(ep.toBuilder().build()).isEqualTo(ep);
        assertThat(ep.toBuilder().host("other").build().host()).isEqualTo("other");
    }

    @Test
    void impersonationLoginStringJoinsUserAndAdmin() {
        assertThat(Impersonation.loginString("*").loginFor("terry.adams", "mailadmin")).isEqualTo("terry.adams*mailadmin");
        assertThatThrownBy(() -> Impersonation.loginString("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointTypesAreNormalisedToUpperCase() {
        assertThat(new EndpointType(" imap ")).isEqualTo(EndpointType.IMAP);
        assertThatThrownBy(() -> new EndpointType(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
