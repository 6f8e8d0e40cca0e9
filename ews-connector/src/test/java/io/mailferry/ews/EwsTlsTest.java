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
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.service.folder.Folder;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * TLS with certificates made at test time: a self-signed certificate in no trust store is
 * rejected (ews-java-api's own trust manager accepts it), one in a configured trust store is
 * accepted, a trusted certificate for another host name is rejected, and accepting untrusted
 * certificates is an explicit, logged setting.
 */
class EwsTlsTest {

    private static final String EMAIL = "tls@contoso.test";

    @TempDir
    static Path dir;
    private static Path trustStore;
    private static FakeEwsServer rightHost;
    private static FakeEwsServer wrongHost;
    private final EwsConnectorProvider provider = new EwsConnectorProvider();

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        Path right = certs.keyStore("exchange-right", "ip:127.0.0.1,dns:localhost");
        Path wrong = certs.keyStore("exchange-wrong", "dns:mail.example.org");
        trustStore = certs.trustStore("trusted", right, wrong);
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        exchange.mailbox(EMAIL);
        rightHost = FakeEwsServer.startHttps(exchange, TestCertificates.serverContext(right));
        wrongHost = FakeEwsServer.startHttps(exchange, TestCertificates.serverContext(wrong));
    }

    @AfterAll
    static void stop() {
        rightHost.close();
        wrongHost.close();
    }

    private static MigrationEndpoint.Builder https(FakeEwsServer server) {
        return EwsEndpoints.exchange("tls").host(server.host()).port(server.port()).security(Security.SSL)
                .adminCredentials(new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD));
    }

    private static MigrationEndpoint.Builder trusting(MigrationEndpoint.Builder b) {
        return b.property(EwsProperties.TRUST_STORE, trustStore.toString())
                .property(EwsProperties.TRUST_STORE_PASSWORD, TestCertificates.PASSWORD);
    }

    private SourceMailbox open(MigrationEndpoint endpoint) {
        return provider.openSource(endpoint, MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD)));
    }

    @Test
    void aSelfSignedCertificateInNoTrustStoreIsRejected() throws Exception {
        rightHost.clearRequests();
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> open(https(rightHost).build()));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.TLS);
        assertThat(e.getMessage()).contains("TLS");
        assertThat(rightHost.requests()).isEmpty();

        // what the connector replaces: ews-java-api's own service accepts the same certificate
        try (ExchangeService stock = new ExchangeService()) {
            stock.setUrl(rightHost.ewsUrl());
            stock.setCredentials(new WebCredentials("migrator", EwsMailboxFixture.ADMIN_PASSWORD, "CONTOSO"));
            stock.setImpersonatedUserId(new ImpersonatedUserId(ConnectingIdType.SmtpAddress, EMAIL));
            assertThat(Folder.bind(stock, new FolderId(WellKnownFolderName.MsgFolderRoot), PropertySet.IdOnly))
                    .isNotNull();
        }
    }

    @Test
    void aCertificateInTheConfiguredTrustStoreIsAccepted() {
        try (SourceMailbox s = open(trusting(https(rightHost)).build())) {
            assertThat(s.listFolders()).isNotEmpty();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRejected() {
        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> open(trusting(https(wrongHost)).build()));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.TLS);
        assertThat(e.getMessage()).contains("127.0.0.1");
    }

    @Test
    void acceptingUntrustedCertificatesIsExplicitAndLogged() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (SourceMailbox s = open(https(wrongHost).acceptUntrustedCertificates(true).build())) {
            assertThat(s.listFolders()).isNotEmpty();
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("TLS certificates and host names are NOT verified");
    }

    @Test
    void theConnectionTestReportsTlsFailuresAndSuccessesAsData() {
        MailboxAccess access = MailboxAccess.impersonating(EMAIL,
                new Credentials(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD));
        EwsConnectionTest failed = provider.testExchange(https(rightHost).build(), access);
        assertThat(failed.reachable()).isTrue();
        assertThat(failed.tls()).isFalse();
        assertThat(failed.authenticated()).isFalse();
        assertThat(failed.errorKind()).isEqualTo("TLS");
        assertThat(failed.steps()).extracting(EwsConnectionTest.Step::name).containsExactly("connect", "tls");

        EwsConnectionTest ok = provider.testExchange(trusting(https(rightHost)).build(), access);
        assertThat(ok.successful()).as("%s", ok).isTrue();
        assertThat(ok.tls()).isTrue();
        assertThat(ok.authenticated()).isTrue();
        assertThat(ok.impersonation()).isEqualTo(EwsConnectionTest.Check.PASSED);
        assertThat(ok.serverVersion()).startsWith("15.1.2507.6");
        assertThat(ok.url()).isEqualTo(rightHost.ewsUrl().toString());
        assertThat(ok.toString()).doesNotContain(EwsMailboxFixture.ADMIN_PASSWORD).doesNotContain(TestCertificates.PASSWORD);
    }

    @Test
    void theConnectionTestWithoutCredentialsVerifiesCertificatesToo() {
        ServerAvailability untrusted = provider.testConnection(https(rightHost).build(), null);
        assertThat(untrusted.failure()).isEqualTo(ServerAvailability.Failure.TLS);
        assertThat(untrusted.tls()).isFalse();

        ServerAvailability otherName = provider.testConnection(trusting(https(wrongHost)).build(), null);
        assertThat(otherName.failure()).isEqualTo(ServerAvailability.Failure.TLS);
        assertThat(otherName.message()).contains("127.0.0.1");

        ServerAvailability ok = provider.testConnection(trusting(https(rightHost)).build(), null);
        assertThat(ok.isSuccess()).as("%s", ok).isTrue();
        assertThat(ok.tls()).isTrue();
        assertThat(ok.authenticationAttempted()).isFalse();
        assertThat(ok.capabilities()).isNotEmpty();
    }
}
