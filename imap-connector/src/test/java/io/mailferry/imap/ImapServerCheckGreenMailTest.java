package io.mailferry.imap;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.imap.testing.GreenMailImap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Test-MigrationServerAvailability} over IMAP, against GreenMail: every outcome is a result. */
class ImapServerCheckGreenMailTest {

    private static GreenMailImap server;
    private final ImapConnectorProvider provider = new ImapConnectorProvider();

    @BeforeAll
    static void startServer() {
        server = GreenMailImap.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void withoutCredentialsTheTestConnectsAndListsCapabilitiesWithoutLoggingIn() {
        ServerAvailability r = provider.testConnection(server.endpoint("plain").build(), null);

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.reachable()).isTrue();
        assertThat(r.tls()).isFalse();
        assertThat(r.authenticationAttempted()).isFalse();
        assertThat(r.capabilities()).contains("IMAP4rev1");
        assertThat(r.latency()).isNotNull().isLessThan(Duration.ofSeconds(30));
        assertThat(r.summary()).contains("reachable, plaintext");
    }

    @Test
    void withCredentialsTheTestLogsIn() {
        Credentials alice = server.newUser("alice");
        ServerAvailability r = provider.testConnection(server.endpoint("plain").build(), MailboxAccess.own(alice));

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.authenticated()).isTrue();
        assertThat(r.capabilities()).contains("IMAP4rev1", "UIDPLUS");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureOfAReachableServer() {
        Credentials alice = server.newUser("alice");
        ServerAvailability r = provider.testConnection(server.endpoint("plain").build(),
                MailboxAccess.own(new Credentials(alice.username(), "Wr0ng-S3cret")));

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.reachable()).isTrue();
        assertThat(r.authenticationAttempted()).isTrue();
        assertThat(r.authenticated()).isFalse();
        assertThat(r.failure()).isEqualTo(ServerAvailability.Failure.AUTHENTICATION);
        assertThat(r.message()).contains(alice.username()).doesNotContain("Wr0ng-S3cret");
        assertThat(r.capabilities()).contains("IMAP4rev1");
    }

    @Test
    void tlsIsReportedAndAnUntrustedCertificateIsATlsFailure() {
        MigrationEndpoint trusting = server.sslEndpoint("ssl").acceptUntrustedCertificates(true).build();
        ServerAvailability ok = provider.testConnection(trusting, null);
        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.tls()).isTrue();

        ServerAvailability refused = provider.testConnection(server.sslEndpoint("ssl").build(), null);
        assertThat(refused.failure()).isEqualTo(ServerAvailability.Failure.TLS);
        assertThat(refused.reachable()).isTrue();
        assertThat(refused.tls()).isFalse();
        assertThat(refused.message()).contains("TLS");
    }

    @Test
    void aPortNobodyListensOnIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ServerAvailability r = provider.testConnection(server.endpoint("closed").port(port).build(), null);

        assertThat(r.reachable()).isFalse();
        assertThat(r.failure()).isEqualTo(ServerAvailability.Failure.CONNECTION);
        assertThat(r.latency()).isNull();
        assertThat(r.summary()).contains("not reachable");
    }
}
