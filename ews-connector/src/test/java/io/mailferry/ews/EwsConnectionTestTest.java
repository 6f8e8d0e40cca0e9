package io.mailferry.ews;

import io.mailferry.core.Credentials;
import io.mailferry.core.EndpointVerificationException;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.Security;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link EwsConnectorProvider#testExchange}: reachability, TLS, authentication, impersonation
 * rights and server version as data, never as an exception; and the same test through the SPI's
 * {@link EwsConnectorProvider#testConnection} ({@code Test-MigrationServerAvailability},
 * {@code New-MigrationEndpoint}), with and without credentials.
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
        return provider.testExchange(EwsMailboxFixture.endpoint(server, "probe"),
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
        EwsConnectionTest t = provider.testExchange(EwsEndpoints.exchange("gone").host("127.0.0.1").port(port)
                        .security(Security.NONE).build(),
                MailboxAccess.own(new Credentials("someone@contoso.test", "pw")));

        assertThat(t.reachable()).isFalse();
        assertThat(t.errorKind()).isEqualTo("CONNECTION");
        assertThat(t.url()).isEqualTo("http://127.0.0.1:" + port + "/EWS/Exchange.asmx");
        assertThat(t.steps()).singleElement().satisfies(s -> assertThat(s.outcome())
                .isEqualTo(EwsConnectionTest.Check.FAILED));
    }

    // ------------------------------------------------------------------ through the SPI

    @Test
    void theSpiResultCarriesServerVersionAndImpersonationRights() {
        ServerAvailability a = provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"),
                MailboxAccess.impersonating(EMAIL, new Credentials(EwsMailboxFixture.ADMIN,
                        EwsMailboxFixture.ADMIN_PASSWORD)));

        assertThat(a.isSuccess()).as("%s", a).isTrue();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port()).isEqualTo(server.port());
        assertThat(a.reachable()).isTrue();
        assertThat(a.tls()).isFalse();
        assertThat(a.authenticationAttempted()).isTrue();
        assertThat(a.authenticated()).isTrue();
        assertThat(a.capabilities()).containsExactly("ServerVersion=15.1.2507.6 (V2017_07_11)",
                "ApplicationImpersonation");
        assertThat(a.latency()).isPositive();
    }

    @Test
    void theSpiResultReportsARefusedImpersonationAsAnAuthenticationFailure() {
        ServerAvailability a = provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"),
                MailboxAccess.impersonating(EMAIL, new Credentials("CONTOSO\\helpdesk", "helpdesk-pw")));

        assertThat(a.isSuccess()).isFalse();
        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.AUTHENTICATION);
        assertThat(a.authenticated()).as("the account itself logged in").isTrue();
        assertThat(a.message()).startsWith("Impersonation:").contains("ErrorImpersonateUserDenied");
        assertThat(a.capabilities()).doesNotContain("ApplicationImpersonation");
    }

    @Test
    void theSpiResultReportsAWrongPasswordWithoutTheSecret() {
        ServerAvailability a = provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"),
                MailboxAccess.own(new Credentials(EwsMailboxFixture.ADMIN, "not-the-password")));

        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.AUTHENTICATION);
        assertThat(a.reachable()).isTrue();
        assertThat(a.authenticationAttempted()).isTrue();
        assertThat(a.authenticated()).isFalse();
        assertThat(a.toString()).doesNotContain("not-the-password");
    }

    @Test
    void withoutCredentialsNothingLogsInAndTheOfferedSchemesAreReported() {
        server.clearRequests();

        ServerAvailability a = provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"), null);

        assertThat(a.isSuccess()).as("%s", a).isTrue();
        assertThat(a.reachable()).isTrue();
        assertThat(a.authenticationAttempted()).isFalse();
        assertThat(a.capabilities()).containsExactly("BASIC");
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.operation()).startsWith("401:");
            assertThat(r.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
            assertThat(r.headers()).anySatisfy((k, v) -> {
                assertThat(k).isEqualToIgnoringCase("User-Agent");
                assertThat(v).startsWith("MailFerry/");
            });
        });

        server.auth(FakeEwsServer.Auth.NTLM);
        assertThat(provider.testConnection(EwsMailboxFixture.endpoint(server, "probe"), null).capabilities())
                .containsExactly("NTLM");
    }

    @Test
    void withoutCredentialsAnUnreachableServerIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ServerAvailability a = provider.testConnection(EwsEndpoints.exchange("gone").host("127.0.0.1").port(port)
                .security(Security.NONE).build(), null);

        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.CONNECTION);
        assertThat(a.reachable()).isFalse();
        assertThat(a.port()).isEqualTo(port);
        assertThat(a.message()).contains("127.0.0.1:" + port);
    }

    @Test
    void withoutCredentialsAnAnswerThatIsNotEwsIsAProtocolFailure() {
        server.route("/owa/nothing-here", ex -> {
            byte[] page = "<html><body>Sign in</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        MigrationEndpoint notEws = EwsEndpoints.exchange("not-ews").host(server.host()).port(server.port())
                .security(Security.NONE).property(EwsProperties.URL, "http://" + server.host() + ":" + server.port()
                        + "/owa/nothing-here").build();

        ServerAvailability a = provider.testConnection(notEws, null);

        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.PROTOCOL);
        assertThat(a.reachable()).isTrue();
        assertThat(a.message()).contains("HTTP 200").contains("/owa/nothing-here");
    }

    @Test
    void autodiscoverWithoutAnyCredentialsCannotBeTested() {
        MigrationEndpoint ad = EwsEndpoints.exchange("ad").host("contoso.test")
                .property(EwsProperties.AUTODISCOVER, "true")
                .property(EwsProperties.AUTODISCOVER_EMAIL, EMAIL).build();

        ServerAvailability a = provider.testConnection(ad, null);

        assertThat(a.failure()).isEqualTo(ServerAvailability.Failure.NOT_SUPPORTED);
        assertThat(a.message()).contains("Autodiscover needs credentials");
    }

    @Test
    void newEndpointTestsTheEndpointFirst() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (MigrationService service = MigrationService.builder().connector(provider).build()) {
            MigrationEndpoint good = EwsMailboxFixture.endpoint(server, "exchange-2016");
            assertThat(service.newEndpoint(good)).isEqualTo(good);
            assertThat(service.testServerAvailability(good, EMAIL).capabilities())
                    .contains("ApplicationImpersonation");

            EndpointVerificationException e = catchThrowableOfType(EndpointVerificationException.class,
                    () -> service.newEndpoint(EwsEndpoints.exchange("gone").host("127.0.0.1").port(port)
                            .security(Security.NONE).build()));
            assertThat(e).isNotNull();
            assertThat(service.endpoints()).extracting(MigrationEndpoint::name).containsExactly("exchange-2016");
        }
    }
}
