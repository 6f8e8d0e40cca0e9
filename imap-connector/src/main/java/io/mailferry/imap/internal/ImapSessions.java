package io.mailferry.imap.internal;

import io.mailferry.core.AuthenticationMethod;
import io.mailferry.core.Credentials;
import io.mailferry.core.Impersonation;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.Security;
import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.UnableToConnectException;
import io.mailferry.imap.OAuthTokenProvider;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens IMAP sessions: connect, secure, authenticate, read capabilities. Used by
 * {@link io.mailferry.imap.ImapConnectorProvider}; not public API.
 */
public final class ImapSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSessions.class);
    private static final Set<String> WARNED_UNTRUSTED = ConcurrentHashMap.newKeySet();

    private ImapSessions() {
    }

    /**
     * Checks an endpoint's {@link io.mailferry.imap.ImapProperties} values as opening a mailbox
     * would; backs {@link io.mailferry.imap.ImapProperties#validate(java.util.Map)}.
     *
     * @param properties the endpoint's properties
     * @throws IllegalArgumentException naming the key of an invalid value
     */
    public static void validate(Map<String, String> properties) {
        ImapSettings.from(properties);
    }

    /**
     * Opens a read-only session.
     *
     * @param endpoint an IMAP endpoint
     * @param access   mailbox and credentials
     * @return the open source mailbox
     * @throws ConnectorException       if connecting or logging in fails
     * @throws IllegalArgumentException if an endpoint property is invalid
     */
    public static SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
        return openSource(endpoint, access, null);
    }

    /**
     * Opens a read-only session.
     *
     * @param endpoint an IMAP endpoint
     * @param access   mailbox and credentials
     * @param tokens   access tokens for XOAUTH2/OAUTHBEARER, or {@code null}
     * @return the open source mailbox
     * @throws ConnectorException       if connecting or logging in fails
     * @throws IllegalArgumentException if an endpoint property is invalid
     */
    public static SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access, OAuthTokenProvider tokens) {
        ImapSettings settings = ImapSettings.from(endpoint.properties());
        return new ImapSourceMailbox(connect(endpoint, access, settings, tokens), settings, access.mailbox(),
                RateLimiter.of(endpoint, settings));
    }

    /**
     * Opens a read-write session.
     *
     * @param endpoint an IMAP endpoint
     * @param access   mailbox and credentials
     * @return the open target mailbox
     * @throws ConnectorException       if connecting or logging in fails
     * @throws IllegalArgumentException if an endpoint property is invalid
     */
    public static TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
        return openTarget(endpoint, access, null);
    }

    /**
     * Opens a read-write session.
     *
     * @param endpoint an IMAP endpoint
     * @param access   mailbox and credentials
     * @param tokens   access tokens for XOAUTH2/OAUTHBEARER, or {@code null}
     * @return the open target mailbox
     * @throws ConnectorException       if connecting or logging in fails
     * @throws IllegalArgumentException if an endpoint property is invalid
     */
    public static TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access, OAuthTokenProvider tokens) {
        ImapSettings settings = ImapSettings.from(endpoint.properties());
        return new ImapTargetMailbox(connect(endpoint, access, settings, tokens), settings, access.mailbox(),
                RateLimiter.of(endpoint, settings));
    }

    /** Connects, secures and logs in. */
    static ImapWire connect(MigrationEndpoint endpoint, MailboxAccess access, ImapSettings settings,
                            OAuthTokenProvider tokens) {
        ImapWire wire = open(endpoint);
        try {
            authenticate(wire, endpoint, access, settings, tokens);
            return wire;
        } catch (RuntimeException e) {
            wire.markBroken();
            throw e;
        }
    }

    /**
     * Logs in on an open connection as the endpoint asks: SASL XOAUTH2/OAUTHBEARER with a token from
     * {@code tokens} when {@link ImapSettings#mechanism()} is set, otherwise LOGIN/PLAIN with the
     * password.
     */
    static void authenticate(ImapWire wire, MigrationEndpoint endpoint, MailboxAccess access, ImapSettings settings,
                             OAuthTokenProvider tokens) {
        if (settings.mechanism() != null) {
            oauthLogin(wire, endpoint, access, settings.mechanism(), tokens);
        } else {
            login(wire, endpoint, access);
        }
    }

    /** Connects and secures (TLS from the first byte, or STARTTLS), without logging in. */
    static ImapWire open(MigrationEndpoint endpoint) {
        String where = endpoint.host() + ":" + endpoint.port();
        Properties props = new Properties();
        props.setProperty("mail.imap.connectiontimeout", Long.toString(millis(endpoint.connectTimeout())));
        props.setProperty("mail.imap.timeout", Long.toString(millis(endpoint.readTimeout())));
        props.setProperty("mail.imap.socketFactory.fallback", "false");
        props.put("mail.imap.socketFactory", NoDelaySockets.Plain.INSTANCE);
        if (endpoint.security() == Security.NONE) {
            // plaintext: no TLS socket factory, so the JDK's TLS stack is never initialised (about
            // 0.1-0.3 s of start-up on a cold JVM)
            LOG.trace("plaintext connection to {}", where);
        } else if (endpoint.acceptUntrustedCertificates()) {
            if (WARNED_UNTRUSTED.add(endpoint.name() + "|" + where)) {
                LOG.warn("Endpoint '{}' ({}) accepts any TLS certificate: the server's identity is not verified",
                        endpoint.name(), where);
            }
            props.put("mail.imap.ssl.socketFactory", new NoDelaySockets.Tls(TrustAll.FACTORY));
            props.setProperty("mail.imap.ssl.checkserveridentity", "false");
        } else {
            props.put("mail.imap.ssl.socketFactory", new NoDelaySockets.Tls((SSLSocketFactory) SSLSocketFactory.getDefault()));
            props.setProperty("mail.imap.ssl.checkserveridentity", "true");
        }

        ImapWire wire;
        try {
            wire = new ImapWire(endpoint.host(), endpoint.port(), props, endpoint.security() == Security.SSL);
        } catch (IOException e) {
            throw connectFailure(where, e, endpoint.security() == Security.SSL);
        } catch (ProtocolException e) {
            throw new UnableToConnectException(ConnectorException.Kind.CONNECTION, "Server " + where
                    + " refused the connection: " + describe(e), e);
        }
        try {
            if (endpoint.security() == Security.STARTTLS) {
                startTls(wire);
            }
            return wire;
        } catch (RuntimeException e) {
            wire.markBroken();
            throw e;
        }
    }

    private static void startTls(ImapWire wire) {
        if (!wire.hasCapability("STARTTLS")) {
            throw new UnableToConnectException(ConnectorException.Kind.TLS, "Server " + wire.where()
                    + " does not offer STARTTLS; not continuing without TLS (use security SSL, or NONE to allow plaintext)",
                    null);
        }
        try {
            wire.startTLS();
        } catch (CommandFailedException | BadCommandException e) {
            throw new UnableToConnectException(ConnectorException.Kind.TLS, "Server " + wire.where()
                    + " refused STARTTLS: " + describe(e), e);
        } catch (ProtocolException e) {
            throw connectFailure(wire.where(), e.getCause() != null ? e.getCause() : e, true);
        }
        try {
            // RFC 3501 section 6.2.1: capabilities learnt before STARTTLS must be discarded
            wire.capability();
        } catch (ProtocolException e) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "CAPABILITY after STARTTLS on "
                    + wire.where() + " failed: " + describe(e), e);
        }
    }

    static void login(ImapWire wire, MigrationEndpoint endpoint, MailboxAccess access) {
        if (wire.isAuthenticated()) {
            return; // PREAUTH greeting
        }
        Credentials credentials = access.credentials();
        String user = credentials.username();
        String authzid = null;
        AuthenticationMethod method = endpoint.authentication();
        String forMailbox = "";
        if (access.impersonate()) {
            Impersonation imp = endpoint.impersonation();
            forMailbox = " for mailbox '" + access.mailbox() + "'";
            if (imp.mode() == Impersonation.Mode.LOGIN_STRING) {
                user = imp.loginFor(access.mailbox(), credentials.username());
            } else {
                if (method == AuthenticationMethod.LOGIN) {
                    throw new AuthenticationFailedException("Endpoint '" + endpoint.name() + "' impersonates with a SASL "
                            + "authorization identity, which needs authentication PLAIN or AUTO, not LOGIN");
                }
                authzid = access.mailbox();
                method = AuthenticationMethod.PLAIN;
            }
        }
        boolean plainOffered = wire.hasCapability("AUTH=PLAIN");
        boolean sasl = switch (method) {
            case AUTO -> plainOffered;
            case PLAIN -> true;
            case LOGIN -> false;
        };
        if (authzid != null && !plainOffered) {
            throw new AuthenticationFailedException("Server " + wire.where() + " does not offer AUTH=PLAIN, which "
                    + "impersonation with an authorization identity (RFC 4616) needs");
        }
        if (!sasl && wire.hasCapability("LOGINDISABLED")) {
            throw new AuthenticationFailedException("Server " + wire.where() + " does not allow LOGIN on this connection"
                    + " (LOGINDISABLED)" + (endpoint.security() == Security.NONE ? "; use security SSL or STARTTLS" : ""));
        }
        Map<String, String> before = wire.capabilityMap();
        String who = "Login to " + wire.where() + " as '" + user + "'" + forMailbox
                + (authzid != null ? " (SASL PLAIN, authorization identity '" + authzid + "')" : "");
        try {
            if (sasl) {
                wire.authplain(authzid, user, credentials.password());
            } else {
                wire.loginUtf8(user, credentials.password());
            }
        } catch (CommandFailedException | BadCommandException e) {
            throw new AuthenticationFailedException(who + " failed: " + describe(e));
        } catch (ConnectionException e) {
            Response r = e.getResponse();
            if (r == null || r.isSynthetic()) {
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, who + " failed: connection lost ("
                        + describe(e) + ")", e);
            }
            ServerReply reply = ServerReply.of(r);
            if (ImapErrors.isThrottling(reply)) {
                throw ImapErrors.exception(ConnectorException.Kind.THROTTLED, who + " failed: " + reply, reply);
            }
            throw new AuthenticationFailedException(who + " failed: " + reply);
        } catch (ProtocolException e) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, who + " failed: " + describe(e), e);
        }
        if (wire.capabilityMap() == before) {
            // no CAPABILITY response code on the login reply: ask, servers change them after login
            try {
                wire.capability();
            } catch (ProtocolException e) {
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "CAPABILITY on " + wire.where()
                        + " failed: " + describe(e), e);
            }
        }
    }

    /**
     * SASL XOAUTH2 or OAUTHBEARER (RFC 7628 section 3.1) with a token from the provider (or the
     * password). A refused token is asked for again once, marked refused, so an expired one is
     * replaced.
     */
    private static void oauthLogin(ImapWire wire, MigrationEndpoint endpoint, MailboxAccess access, String mechanism,
                                   OAuthTokenProvider tokens) {
        if (wire.isAuthenticated()) {
            return;
        }
        // impersonation with OAuth: the administrator's (application's) token opens the mailbox
        String user = access.impersonate() ? access.mailbox() : access.credentials().username();
        String who = "Login to " + wire.where() + " as '" + user + "' (SASL " + mechanism + ")";
        if (!wire.hasCapability("AUTH=" + mechanism)) {
            throw new AuthenticationFailedException("Server " + wire.where() + " does not offer AUTH=" + mechanism);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            String token;
            if (tokens != null) {
                try {
                    token = tokens.accessToken(new OAuthTokenProvider.TokenRequest(endpoint.name(), endpoint.host(), user,
                            attempt > 0));
                } catch (RuntimeException e) {
                    throw new AuthenticationFailedException(who + " failed: no access token (" + e.getMessage() + ")", e);
                }
            } else {
                token = access.credentials().password();
            }
            if (token == null || token.isBlank()) {
                throw new AuthenticationFailedException(who + " failed: no access token");
            }
            Map<String, String> before = wire.capabilityMap();
            Response done;
            try {
                done = wire.authenticate(mechanism, saslResponse(mechanism, user, token, endpoint),
                        mechanism.equals("OAUTHBEARER") ? "AQ==" : "");
            } catch (ProtocolException e) {
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, who + " failed: " + describe(e), e);
            }
            if (done.isOK()) {
                if (wire.capabilityMap() == before) {
                    refreshCapabilities(wire); // servers change their capabilities after login
                }
                return;
            }
            ServerReply reply = ServerReply.of(done);
            if (done.isBYE() || wire.isBroken()) {
                throw new ConnectorException(ImapErrors.isThrottling(reply) ? ConnectorException.Kind.THROTTLED
                        : ConnectorException.Kind.PROTOCOL, who + " failed: " + reply);
            }
            if (ImapErrors.isThrottling(reply)) {
                throw ImapErrors.refused(who, wire.where(), reply);
            }
            if (tokens == null || attempt > 0) {
                throw new AuthenticationFailedException(who + " failed: " + reply);
            }
            LOG.debug("{} refused ({}); asking for a new token", who, reply);
        }
    }

    /** The client's message: XOAUTH2 (Google's format) or OAUTHBEARER's GS2 header and key/values. */
    static byte[] saslResponse(String mechanism, String user, String token, MigrationEndpoint endpoint) {
        String s = mechanism.equals("XOAUTH2")
                ? "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001"
                : "n,a=" + user.replace("=", "=3D").replace(",", "=2C") + ",\u0001host=" + endpoint.host()
                        + "\u0001port=" + endpoint.port() + "\u0001auth=Bearer " + token + "\u0001\u0001";
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void refreshCapabilities(ImapWire wire) {
        try {
            wire.capability();
        } catch (ProtocolException e) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, "CAPABILITY on " + wire.where()
                    + " failed: " + describe(e), e);
        }
    }

    /** The server's words of a failed Angus call, without tag. */
    private static String describe(ProtocolException e) {
        Response r = e.getResponse();
        if (r != null) {
            return ServerReply.of(r).toString();
        }
        return String.valueOf(e.getMessage());
    }

    private static UnableToConnectException connectFailure(String where, Throwable e, boolean tls) {
        Throwable tlsCause = tlsCause(e);
        if (tlsCause != null) {
            return new UnableToConnectException(ConnectorException.Kind.TLS, "TLS with " + where + " failed: "
                    + tlsCause.getMessage() + " (the certificate must be trusted by the JDK trust store and name the"
                    + " host; acceptUntrustedCertificates turns the check off)", e);
        }
        String why = e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && !String.valueOf(why).contains(e.getCause().getMessage())) {
            why = why + ": " + e.getCause().getMessage();
        }
        return new UnableToConnectException(tls && why != null && why.contains("check server identity")
                ? ConnectorException.Kind.TLS : ConnectorException.Kind.CONNECTION,
                "Cannot connect to " + where + ": " + why, e);
    }

    private static Throwable tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static long millis(Duration d) {
        return Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** A socket factory that accepts every certificate; only for endpoints that opted in. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        static final SSLSocketFactory FACTORY = factory();

        private static SSLSocketFactory factory() {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                return ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available in this JVM", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // trust all
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // trust all
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // trust all
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // trust all
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // trust all
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trust all
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
