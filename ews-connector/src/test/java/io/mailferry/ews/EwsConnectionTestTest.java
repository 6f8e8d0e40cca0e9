package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EwsConnectorProvider#testConnection}: reachability, TLS, authentication, impersonation
 * rights and server version as data, never as an exception.
 */
class EwsConnectionTestTest {

    private static final String EMAIL = "probe@contoso.test";

    private FakeEwsServer server;
    private final EwsConnectorProvider provider = new EwsConnectorProvider();

    @BeforeEach
    void start() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD)
                .account(new FakeExchange.Account("CONTOSO\\helpdesk", "helpdesk-pw", null, false));
        exchange.mailbox(EMAIL);
        server = FakeEwsServer.start(exchange).auth(FakeEwsServer.Auth.BASIC);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EwsConnectionTest test(String login, String password) {
        return provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"),
                MailboxAccess.impersonating(EMAIL, new Credentials(login, password)));
    }

    @Test
    void everythingPasses() {
        EwsConnectionTest t = test(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD);

        assertThat(t.successful()).as("%s", t).isTrue();
        assertThat(t.reachable()).isTrue();
        assertThat(t.tls()).as("plain HTTP").isFalse();
        assertThat(t.authenticated()).isTrue();
        assertThat(t.impersonation()).isEqualTo(EwsConnectionTest.Check.PASSED);
        assertThat(t.serverVersion()).isEqualTo("15.1.2507.6 (V2017_07_11)");
        assertThat(t.latency()).isPositive();
        assertThat(t.steps()).extracting(EwsConnectionTest.Step::name)
                .containsExactly("connect", "tls", "authenticate", "impersonate");
        assertThat(t.steps().get(1).outcome()).isEqualTo(EwsConnectionTest.Check.NOT_TESTED);
    }

    @Test
    void aWrongPasswordIsReportedNotThrown() {
        EwsConnectionTest t = test(EwsMailboxFixture.ADMIN, "not-the-password");

        assertThat(t.reachable()).isTrue();
        assertThat(t.authenticated()).isFalse();
        assertThat(t.errorKind()).isEqualTo("AUTHENTICATION");
        assertThat(t.errorMessage()).contains("401");
        assertThat(t.impersonation()).isEqualTo(EwsConnectionTest.Check.NOT_TESTED);
        assertThat(t.toString()).doesNotContain("not-the-password");
    }

    @Test
    void anAccountWithoutApplicationImpersonationIsReported() {
        EwsConnectionTest t = test("CONTOSO\\helpdesk", "helpdesk-pw");

        assertThat(t.authenticated()).as("the account has no mailbox, but it did log in").isTrue();
        assertThat(t.impersonation()).isEqualTo(EwsConnectionTest.Check.FAILED);
        assertThat(t.errorKind()).isEqualTo("IMPERSONATION");
        assertThat(t.errorMessage()).contains("ErrorImpersonateUserDenied");
    }

    @Test
    void anUnreachableServerIsReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EwsConnectionTest t = provider.testConnection(EwsEndpoints.exchange("gone").host("127.0.0.1").port(port)
                        .security(Security.NONE).build(),
                MailboxAccess.own(new Credentials("someone@contoso.test", "pw")));

        assertThat(t.reachable()).isFalse();
        assertThat(t.errorKind()).isEqualTo("CONNECTION");
        assertThat(t.url()).isEqualTo("http://127.0.0.1:" + port + "/EWS/Exchange.asmx");
        assertThat(t.steps()).singleElement().satisfies(s -> assertThat(s.outcome())
                .isEqualTo(EwsConnectionTest.Check.FAILED));
    }
}
