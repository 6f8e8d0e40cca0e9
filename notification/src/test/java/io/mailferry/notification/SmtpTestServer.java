package io.mailferry.notification;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GreenMail's SMTP (and SMTPS) on 127.0.0.1 with free ports, without Nagle's delay, with one login
 * for SMTP AUTH. GreenMail delivers every accepted message to each recipient's mailbox.
 */
final class SmtpTestServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String LOGIN = "reports@mailferry.test";
    static final String PASSWORD = "Smtp-Secret-7781";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final NoDelayGreenMail greenMail;

    private SmtpTestServer(NoDelayGreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static SmtpTestServer start() {
        ServerSetup smtp = new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP);
        ServerSetup smtps = new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTPS);
        for (ServerSetup s : List.of(smtp, smtps)) {
            // GreenMail's default of 2 s is short for loading its TLS key on a busy machine.
            s.setServerStartupTimeout(TIMEOUT.toMillis());
        }
        NoDelayGreenMail gm = new NoDelayGreenMail(new ServerSetup[] {smtp, smtps});
        gm.withConfiguration(GreenMailConfiguration.aConfig().withUser(LOGIN, LOGIN, PASSWORD));
        gm.start();
        return new SmtpTestServer(gm);
    }

    GreenMail greenMail() {
        return greenMail;
    }

    int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    int smtpsPort() {
        return greenMail.getSmtps().getPort();
    }

    /** Settings for plain SMTP with AUTH (GreenMail has no STARTTLS). */
    SmtpSettings.Builder settings() {
        return SmtpSettings.builder(HOST).port(smtpPort()).security(Security.NONE).heloName("mailferry.test")
                .credentials(new Credentials(LOGIN, PASSWORD)).from(LOGIN)
                .connectTimeout(TIMEOUT).readTimeout(TIMEOUT);
    }

    /** Waits until GreenMail holds {@code count} messages in all, and returns them. */
    List<MimeMessage> awaitMessages(int count) {
        assertThat(greenMail.waitForIncomingEmail(TIMEOUT.toMillis(), count))
                .as("%d message(s) arrive", count).isTrue();
        return List.of(greenMail.getReceivedMessages());
    }

    /** Returns the messages delivered to one recipient's mailbox, oldest first. */
    List<MimeMessage> inbox(String email) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(email);
        if (user == null) {
            return List.of();
        }
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(StoredMessage::getMimeMessage).toList();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the subjects of the messages in one recipient's mailbox, oldest first. */
    List<String> subjects(String email) {
        return inbox(email).stream().map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Returns the raw bytes of a received message. */
    static String raw(MimeMessage m) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a port on 127.0.0.1 where nothing listens (it was free a moment ago). */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /** GreenMail with SMTP services that set TCP_NODELAY (otherwise each command waits ~40 ms). */
    private static final class NoDelayGreenMail extends GreenMail {
        NoDelayGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers mgr) {
            Map<String, AbstractServer> services = super.createServices(config, mgr);
            List<ServerSetup> smtp = new ArrayList<>();
            for (ServerSetup s : config) {
                if (s.getProtocol().startsWith(ServerSetup.PROTOCOL_SMTP)) {
                    smtp.add(s);
                }
            }
            for (ServerSetup s : smtp) {
                services.put(s.getProtocol(), new SmtpServer(s, mgr) {
                    @Override
                    protected ProtocolHandler createProtocolHandler(Socket socket) {
                        try {
                            socket.setTcpNoDelay(true);
                        } catch (SocketException e) {
                            throw new UncheckedIOException(e);
                        }
                        return super.createProtocolHandler(socket);
                    }
                });
            }
            return services;
        }
    }
}
