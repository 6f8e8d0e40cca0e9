package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Autodiscover over HTTPS (certificate verified against a configured trust store): the EWS URL is
 * found from the mailbox's address; redirects are followed only to HTTPS URLs on expected hosts.
 * The fake serves two host names, {@code 127.0.0.1} (the endpoint's host) and {@code localhost}
 * (not expected unless allowed), from one certificate.
 */
class EwsAutodiscoverTest {

    private static final String EMAIL = "discover@contoso.test";

    @TempDir
    static Path dir;
    private static Path trustStore;
    private static FakeEwsServer server;
    private EwsConnectorProvider provider;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        Path ks = certs.keyStore("autodiscover", "ip:127.0.0.1,dns:localhost");
        trustStore = certs.trustStore("trust", ks);
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        exchange.mailbox(EMAIL);
        server = FakeEwsServer.startHttps(exchange, TestCertificates.serverContext(ks));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fresh() {
        provider = new EwsConnectorProvider();
        server.clearRequests();
        server.autodiscover(null);
    }

    private MigrationEndpoint.Builder endpoint() {
        return EwsEndpoints.exchange("discovered").host(server.host()).port(server.port()).security(Security.SSL)
                .adminCredentials(new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD))
                .property(EwsProperties.AUTODISCOVER, "true")
                .property(EwsProperties.TRUST_STORE, trustStore.toString())
                .property(EwsProperties.TRUST_STORE_PASSWORD, TestCertificates.PASSWORD);
    }

    private SourceMailbox open(MigrationEndpoint endpoint) {
        return provider.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)));
    }

    private String localhostUrl(String path) {
        return "https://localhost:" + server.port() + path;
    }

    @Test
    void theEwsUrlIsFoundFromTheMailboxsAddress() {
        try (SourceMailbox s = open(endpoint().build())) {
            assertThat(s.listFolders()).isNotEmpty();
        }
        assertThat(server.requests("Autodiscover")).singleElement().satisfies(r -> {
            assertThat(r.impersonated()).as("the address asked for").isEqualTo(EMAIL);
            assertThat(r.text()).contains("<EMailAddress>" + EMAIL + "</EMailAddress>");
        });
        // the result is kept: a second mailbox session does not ask again
        try (SourceMailbox s = open(endpoint().build())) {
            s.listFolders();
        }
        assertThat(server.requests("Autodiscover")).hasSize(1);
    }

    @Test
    void aRedirectToAnUnexpectedHostIsNotFollowed() {
        server.autodiscover((host, email) -> host.startsWith("127.0.0.1")
                ? FakeEwsServer.autodiscoverRedirectUrl(localhostUrl("/autodiscover/autodiscover.xml"))
                : FakeEwsServer.autodiscoverSettings(localhostUrl("/EWS/Exchange.asmx")));

        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> open(endpoint().build()));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("refused redirect to " + localhostUrl("/autodiscover/autodiscover.xml"))
                .contains("not the endpoint's host");
        assertThat(server.requests("Autodiscover")).allSatisfy(r -> assertThat(r.headers().get("host"))
                .startsWith("127.0.0.1"));
    }

    @Test
    void aRedirectToAnAllowedHostIsFollowed() {
        server.autodiscover((host, email) -> host.startsWith("127.0.0.1")
                ? FakeEwsServer.autodiscoverRedirectUrl(localhostUrl("/autodiscover/autodiscover.xml"))
                : FakeEwsServer.autodiscoverSettings(localhostUrl("/EWS/Exchange.asmx")));

        try (SourceMailbox s = open(endpoint().property(EwsProperties.AUTODISCOVER_ALLOWED_HOSTS, "localhost").build())) {
            assertThat(s.listFolders()).isNotEmpty();
        }
        assertThat(server.requests("Autodiscover")).extracting(r -> r.headers().get("host").split(":")[0])
                .containsExactly("127.0.0.1", "localhost");
        assertThat(server.requests("GetFolder")).allSatisfy(r -> assertThat(r.headers().get("host"))
                .startsWith("localhost"));
    }

    @Test
    void aRedirectToPlainHttpIsNotFollowedEvenToAnExpectedHost() {
        server.autodiscover((host, email) -> FakeEwsServer.autodiscoverRedirectUrl(
                "http://127.0.0.1:" + server.port() + "/autodiscover/autodiscover.xml"));

        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> open(endpoint().build()));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("only https redirects are followed");
    }

    @Test
    void aSubdomainOfTheAddressIsExpected() {
        // the decision alone (no such host to connect to here)
        io.mailferry.ews.internal.EwsSettings settings = io.mailferry.ews.internal.EwsSettings.of(endpoint().build(),
                MailboxAccess.impersonating(EMAIL, new Credentials("a", "b")));
        io.mailferry.ews.internal.Autodiscover ad = new io.mailferry.ews.internal.Autodiscover(settings);
        java.util.Set<String> expected = java.util.Set.of("127.0.0.1", "contoso.test");
        assertThat(ad.refusal(java.net.URI.create("https://mail.contoso.test/autodiscover/autodiscover.xml"), expected))
                .isNull();
        assertThat(ad.refusal(java.net.URI.create("https://contoso.test.evil.example/x"), expected)).isNotNull();
        assertThat(ad.refusal(java.net.URI.create("https://evilcontoso.test/x"), expected)).isNotNull();
        assertThat(ad.refusal(java.net.URI.create("http://mail.contoso.test/x"), expected)).isNotNull();
    }

    @Test
    void theConnectionTestDiscoversTheUrlFirst() {
        MailboxAccess access = MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD));
        EwsConnectionTest steps = provider.testExchange(endpoint().build(), access);
        assertThat(steps.successful()).as("%s", steps).isTrue();
        assertThat(steps.steps()).extracting(EwsConnectionTest.Step::name)
                .containsExactly("autodiscover", "connect", "tls", "authenticate", "impersonate");
        assertThat(steps.url()).isEqualTo(server.ewsUrl().toString());

        // without access (New-MigrationEndpoint): the endpoint's administrator discovers from the given address
        ServerAvailability a = provider.testConnection(endpoint()
                .property(EwsProperties.AUTODISCOVER_EMAIL, EMAIL).build(), null);
        assertThat(a.isSuccess()).as("%s", a).isTrue();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(server.port());
        assertThat(a.tls()).isTrue();
        assertThat(a.authenticated()).isTrue();
    }

    @Test
    void aRefusedRedirectIsAConnectionTestFailureNotAnException() {
        server.autodiscover((host, email) -> FakeEwsServer.autodiscoverRedirectUrl(
                "http://127.0.0.1:" + server.port() + "/autodiscover/autodiscover.xml"));

        ServerAvailability a = provider.testConnection(endpoint().build(), MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)));

        assertThat(a.isSuccess()).isFalse();
        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.CONNECTION);
        assertThat(a.message()).contains("only https redirects are followed");
    }
}
