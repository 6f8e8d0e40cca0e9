package io.mailferry.notification;

import io.mailferry.core.Credentials;
import io.mailferry.core.Security;
import io.mailferry.core.notification.Notification;
import io.mailferry.core.notification.NotificationAttachment;
import io.mailferry.core.notification.NotificationException;
import io.mailferry.core.notification.NotificationSender;
import jakarta.activation.DataHandler;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Sends {@link Notification}s by SMTP (RFC 5321) with Angus Mail: one connection and one message per
 * notification, addressed {@code To} all its recipients.
 *
 * <p>The message is {@code multipart/mixed} (RFC 2046): the text as {@code text/plain; charset=UTF-8},
 * then each attachment base64-encoded with its file name, so the recipient gets exactly the bytes
 * of the attachment (CSV reports keep their byte order mark and CRLF line ends). Without attachments
 * the message is just the text. Headers: {@code From} (settings), {@code To}, {@code Subject}
 * (RFC 2047-encoded when not ASCII), {@code Date} from the clock, and {@code Auto-Submitted:
 * auto-generated} (RFC 3834) so that vacation responders do not answer.
 *
 * <p>Security as in {@link SmtpSettings}: STARTTLS is required when chosen (a server without it is
 * an error, never a silent plaintext fallback), certificates are checked against the JDK trust store
 * and the host name unless untrusted certificates are accepted. With credentials the sender logs in
 * with SMTP AUTH; the password is used only for that and never appears in a message, exception or
 * log.
 *
 * <p>Thread-safe; each {@link #send} opens its own connection and gives up after the settings'
 * timeouts.
 */
public final class SmtpNotificationSender implements NotificationSender {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpNotificationSender.class);

    private final SmtpSettings settings;
    private final Clock clock;
    private final Session session;

    /**
     * @param settings the server and sender, not {@code null}
     */
    public SmtpNotificationSender(SmtpSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param settings the server and sender, not {@code null}
     * @param clock    the time of the {@code Date} header, not {@code null}
     */
    public SmtpNotificationSender(SmtpSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.session = Session.getInstance(properties(settings));
    }

    /** Returns the settings (their {@code toString()} hides the password). */
    public SmtpSettings settings() {
        return settings;
    }

    private static Properties properties(SmtpSettings s) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", s.host());
        p.setProperty("mail.smtp.port", Integer.toString(s.port()));
        p.setProperty("mail.smtp.connectiontimeout", Long.toString(s.connectTimeout().toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(s.readTimeout().toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(s.readTimeout().toMillis()));
        p.setProperty("mail.smtp.from", s.from());
        p.setProperty("mail.smtp.auth", Boolean.toString(s.credentials() != null));
        if (s.heloName() != null) {
            p.setProperty("mail.smtp.localhost", s.heloName());
        }
        if (s.security() == Security.SSL) {
            p.setProperty("mail.smtp.ssl.enable", "true");
        } else if (s.security() == Security.STARTTLS) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (s.acceptUntrustedCertificates()) {
            p.setProperty("mail.smtp.ssl.trust", "*");
            p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
        } else {
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        }
        return p;
    }

    /**
     * Sends the notification.
     *
     * @param notification what to send, not {@code null}
     * @throws NotificationException if a recipient is not a valid address, the server cannot be
     *                               reached, refuses TLS, the login or a recipient, or the message
     *                               (nothing is sent then); the message names the server and the
     *                               reason, never the password
     */
    @Override
    public void send(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        MimeMessage message = message(notification);
        Transport transport = null;
        try {
            transport = session.getTransport("smtp");
            Credentials login = settings.credentials();
            if (login != null) {
                transport.connect(settings.host(), settings.port(), login.username(), login.password());
            } else {
                transport.connect(settings.host(), settings.port(), null, null);
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw failure(notification, e);
        } finally {
            closeQuietly(transport);
        }
    }

    /** Once the server has accepted the message, a failing QUIT does not make the sending a failure. */
    private static void closeQuietly(Transport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            LOG.debug("Closing the SMTP connection failed: {}", e.toString());
        }
    }

    /**
     * Builds the MIME message of a notification, as {@link #send} sends it.
     *
     * @param notification the notification
     * @return the message, ready to send
     * @throws NotificationException if a recipient cannot be written as an address
     */
    MimeMessage message(Notification notification) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(settings.from(), settings.fromName().isEmpty() ? null : settings.fromName(),
                    "UTF-8"));
            List<Address> to = new ArrayList<>();
            for (String r : notification.recipients()) {
                try {
                    to.add(new InternetAddress(r, true));
                } catch (AddressException e) {
                    throw new NotificationException("Recipient '" + r + "' is not a valid e-mail address: "
                            + e.getMessage(), e);
                }
            }
            m.setRecipients(Message.RecipientType.TO, to.toArray(new Address[0]));
            m.setSubject(notification.subject(), "UTF-8");
            m.setSentDate(Date.from(clock.instant()));
            m.setHeader("Auto-Submitted", "auto-generated");
            m.setHeader("X-Mailer", "MailFerry");
            if (notification.attachments().isEmpty()) {
                m.setText(notification.text(), "UTF-8", "plain");
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(notification.text(), "UTF-8", "plain");
                mixed.addBodyPart(text);
                for (NotificationAttachment a : notification.attachments()) {
                    MimeBodyPart part = new MimeBodyPart();
                    part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
                    part.setFileName(a.fileName());
                    part.setDisposition(Part.ATTACHMENT);
                    part.setHeader("Content-Transfer-Encoding", "base64");
                    mixed.addBodyPart(part);
                }
                m.setContent(mixed);
            }
            m.saveChanges();
            return m;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new NotificationException("Could not build the e-mail '" + notification.subject() + "': "
                    + redact(e.getMessage()), e);
        }
    }

    private NotificationException failure(Notification n, MessagingException e) {
        String reason = reason(e);
        String text = "Could not send the e-mail '" + n.subject() + "' to " + n.recipients().size()
                + " recipient(s) through " + settings.where() + ": " + reason;
        return new NotificationException(redact(text), containsPassword(e) ? null : e);
    }

    private String reason(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return "the server refused the login of " + settings.login().map(Credentials::username).orElse("(none)")
                    + ": " + oneLine(e.getMessage());
        }
        if (e instanceof SendFailedException sf && sf.getInvalidAddresses() != null
                && sf.getInvalidAddresses().length > 0) {
            return "the server refused the recipient(s) " + Arrays.stream(sf.getInvalidAddresses())
                    .map(Address::toString).collect(Collectors.joining(", ")) + ": " + oneLine(causeChain(e));
        }
        Throwable root = rootCause(e);
        if (root instanceof ConnectException) {
            return "cannot connect (" + oneLine(root.getMessage()) + "): check the host, port and firewall";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + settings.host();
        }
        if (root instanceof SocketTimeoutException) {
            return "the server did not answer in time (" + oneLine(root.getMessage()) + ")";
        }
        if (root instanceof SSLException || hasCause(e, SSLException.class)) {
            return "the TLS handshake failed (" + oneLine(root.getMessage()) + "); the certificate must be trusted by "
                    + "the JDK trust store and name the host, or set acceptUntrustedCertificates";
        }
        String chain = causeChain(e);
        if (settings.security() == Security.STARTTLS && chain.contains("STARTTLS")) {
            return oneLine(chain) + "; not continuing without TLS (use security SSL, or NONE to allow plaintext)";
        }
        return oneLine(chain);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String causeChain(Throwable t) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause() == c ? null : c.getCause(), depth++) {
            String m = c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(m)) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    private boolean containsPassword(Throwable t) {
        String password = settings.login().map(Credentials::password).orElse("");
        if (password.length() < 3) {
            return false;
        }
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause() == c ? null : c.getCause(), depth++) {
            if (c.getMessage() != null && c.getMessage().contains(password)) {
                return true;
            }
        }
        return false;
    }

    /** Belt and braces: no server response should echo the password, but if one does, it goes. */
    private String redact(String text) {
        String password = settings.login().map(Credentials::password).orElse("");
        if (text == null || password.length() < 3) {
            return text;
        }
        return text.replace(password, "****");
    }

    @Override
    public String toString() {
        return "SmtpNotificationSender[" + settings + "]";
    }
}
