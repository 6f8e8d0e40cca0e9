package io.mailferry.ews.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-process fake EWS server for tests: a JDK {@link HttpServer} (or {@link HttpsServer}) on
 * 127.0.0.1 with a free port, answering {@code /EWS/Exchange.asmx} from a {@link FakeExchange}
 * model and {@code /autodiscover/autodiscover.xml} with POX Autodiscover answers.
 *
 * <ul>
 *   <li>Authentication: Basic, NTLM (a real Type 2 challenge; the Type 3's user and domain are
 *       checked, not the password), Bearer tokens, as configured.</li>
 *   <li>Mailbox: the {@code ExchangeImpersonation} header's address when the account holds
 *       ApplicationImpersonation ({@code ErrorImpersonateUserDenied} otherwise), else the account's
 *       own mailbox.</li>
 *   <li>Operations: GetFolder, SyncFolderHierarchy, FindFolder, CreateFolder, UpdateFolder,
 *       SyncFolderItems (real paging, opaque states, {@code ErrorInvalidSyncStateData} for stale
 *       ones), FindItem (restrictions and sorts on extended properties, indexed paging), GetItem,
 *       CreateItem, UpdateItem, ExportItems, UploadItems.</li>
 *   <li>Faults: see {@link Faults}.</li>
 *   <li>Every request is recorded ({@link #requests()}) for golden tests.</li>
 * </ul>
 */
public final class FakeEwsServer implements AutoCloseable {

    /** Which authentication the server asks for. */
    public enum Auth { BASIC, NTLM, BEARER, ANY }

    /**
     * A request the server received.
     *
     * @param operation   the SOAP operation (first element of the body), or the path for other requests
     * @param headers     HTTP headers, names in lower case
     * @param body        the body (at most 1 MiB kept)
     * @param login       who authenticated, or {@code null}
     * @param impersonated the ExchangeImpersonation address, or {@code null}
     */
    public record Recorded(String operation, Map<String, String> headers, byte[] body, String login,
                           String impersonated) {
        /** Returns the body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY every answer
        // waits for the client's delayed ACK (about 40 ms)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final FakeExchange exchange;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Faults faults = new Faults();
    private final EwsOperations operations;
    private final List<Recorded> requests = new ArrayList<>();
    private final boolean https;
    private volatile Auth auth = Auth.ANY;
    private volatile java.util.function.BiFunction<String, String, String> autodiscover;
    private final Map<String, HttpHandler> extraRoutes = new LinkedHashMap<>();
    /** Connections NTLM authenticated, as IIS keeps them (authPersistSingleRequest=false). */
    private final Map<InetSocketAddress, FakeExchange.Account> ntlmConnections =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    private FakeEwsServer(FakeExchange exchange, SSLContext ssl) throws IOException {
        this.exchange = exchange;
        this.operations = new EwsOperations(exchange, faults);
        this.https = ssl != null;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (ssl != null) {
            HttpsServer s = HttpsServer.create(address, 64);
            s.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server = s;
        } else {
            server = HttpServer.create(address, 64);
        }
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "fake-ews");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a plain HTTP server. */
    public static FakeEwsServer start(FakeExchange exchange) throws IOException {
        return new FakeEwsServer(exchange, null);
    }

    /** Starts an HTTPS server with the given server certificate context. */
    public static FakeEwsServer startHttps(FakeExchange exchange, SSLContext ssl) throws IOException {
        return new FakeEwsServer(exchange, ssl);
    }

    /** Returns the model. */
    public FakeExchange exchange() {
        return exchange;
    }

    /** Returns the fault plan. */
    public Faults faults() {
        return faults;
    }

    /** Sets the authentication the server asks for. */
    public FakeEwsServer auth(Auth auth) {
        this.auth = auth;
        return this;
    }

    /** Returns the host, {@code 127.0.0.1}. */
    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    /** Returns the port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Returns the EWS URL. */
    public URI ewsUrl() {
        return URI.create((https ? "https" : "http") + "://" + host() + ":" + port() + "/EWS/Exchange.asmx");
    }

    /**
     * Replaces the Autodiscover answer: a function from the request's {@code Host} header and the
     * requested address to the answer's XML (see {@link #autodiscoverSettings}); the default answers
     * every address with this server's URL.
     */
    public FakeEwsServer autodiscover(java.util.function.BiFunction<String, String, String> answer) {
        this.autodiscover = answer;
        return this;
    }

    /** Adds a handler for another path (e.g. a redirect). */
    public synchronized FakeEwsServer route(String path, HttpHandler handler) {
        extraRoutes.put(path, handler);
        return this;
    }

    /** A POX Autodiscover answer with an EWS URL. */
    public static String autodiscoverSettings(String ewsUrl) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/"
                + "autodiscover/responseschema/2006\"><Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
                + "outlook/responseschema/2006a\"><Account><AccountType>email</AccountType><Action>settings</Action>"
                + "<Protocol><Type>EXCH</Type><Server>exch01.contoso.test</Server><EwsUrl>" + Soap.esc(ewsUrl)
                + "</EwsUrl></Protocol><Protocol><Type>EXPR</Type><EwsUrl>" + Soap.esc(ewsUrl)
                + "</EwsUrl></Protocol></Account></Response></Autodiscover>";
    }

    /** A POX Autodiscover answer redirecting to another URL. */
    public static String autodiscoverRedirectUrl(String url) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/"
                + "autodiscover/responseschema/2006\"><Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
                + "outlook/responseschema/2006a\"><Account><Action>redirectUrl</Action><RedirectUrl>" + Soap.esc(url)
                + "</RedirectUrl></Account></Response></Autodiscover>";
    }

    /** Returns the requests so far. */
    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /**
     * @param operation an operation name
     * @return the recorded requests of that operation
     */
    public synchronized List<Recorded> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
    }

    /** Forgets the recorded requests. */
    public synchronized void clearRequests() {
        requests.clear();
    }

    private synchronized void record(Recorded r) {
        requests.add(r);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            HttpHandler extra;
            synchronized (this) {
                extra = extraRoutes.get(path);
            }
            if (extra != null) {
                extra.handle(ex);
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            // a refused request is recorded before the 401 goes out: the client's next request on
            // the connection (the NTLM handshake's next leg) may be handled by another thread at once
            Optional<FakeExchange.Account> account = authenticate(ex,
                    () -> record(new Recorded("401:" + path, headers, cap(body), null, null)));
            if (account.isEmpty()) {
                return;
            }
            if (path.equalsIgnoreCase("/autodiscover/autodiscover.xml")) {
                answerAutodiscover(ex, body, headers, account.get());
                return;
            }
            if (!path.equalsIgnoreCase("/EWS/Exchange.asmx")) {
                send(ex, 404, "text/html", "<html><body>404</body></html>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            answerEws(ex, body, headers, account.get());
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private static byte[] cap(byte[] body) {
        return body.length <= 1024 * 1024 ? body : java.util.Arrays.copyOf(body, 1024 * 1024);
    }

    /** Checks the Authorization header; answers 401 itself when it is missing or wrong. */
    private Optional<FakeExchange.Account> authenticate(HttpExchange ex, Runnable refused) throws IOException {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        Auth mode = auth;
        if (h == null && (mode == Auth.NTLM || mode == Auth.ANY)) {
            FakeExchange.Account known = ntlmConnections.get(ex.getRemoteAddress());
            if (known != null) {
                return Optional.of(known);
            }
        }
        if (h != null) {
            int sp = h.indexOf(' ');
            String scheme = sp < 0 ? h : h.substring(0, sp);
            String value = sp < 0 ? "" : h.substring(sp + 1).trim();
            if (scheme.equalsIgnoreCase("Basic") && (mode == Auth.BASIC || mode == Auth.ANY)) {
                String creds = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = creds.indexOf(':');
                Optional<FakeExchange.Account> a = exchange.account(creds.substring(0, Math.max(0, colon)));
                if (a.isPresent() && colon >= 0 && a.get().password().equals(creds.substring(colon + 1))) {
                    return a;
                }
            } else if (scheme.equalsIgnoreCase("Bearer") && (mode == Auth.BEARER || mode == Auth.ANY)) {
                Optional<FakeExchange.Account> a = exchange.accountByToken(value);
                if (a.isPresent()) {
                    return a;
                }
            } else if (scheme.equalsIgnoreCase("NTLM") && (mode == Auth.NTLM || mode == Auth.ANY)) {
                byte[] msg = Base64.getDecoder().decode(value);
                int type = Ntlm.messageType(msg);
                if (type == 1) {
                    refused.run();
                    ex.getResponseHeaders().add("WWW-Authenticate", "NTLM " + Ntlm.challenge());
                    send(ex, 401, "text/html", new byte[0]);
                    return Optional.empty();
                }
                if (type == 3) {
                    Ntlm.Authenticate a = Ntlm.parseAuthenticate(msg);
                    Optional<FakeExchange.Account> acc = exchange.account(a.login());
                    if (acc.isPresent() && a.ntResponseLength() > 24) {
                        ntlmConnections.put(ex.getRemoteAddress(), acc.get());
                        return acc;
                    }
                }
            }
        }
        if (mode == Auth.NTLM || mode == Auth.ANY) {
            ex.getResponseHeaders().add("WWW-Authenticate", "NTLM");
        }
        if (mode == Auth.BASIC || mode == Auth.ANY) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake-exchange\"");
        }
        if (mode == Auth.BEARER) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        }
        refused.run();
        send(ex, 401, "text/html", "<html><body>401 Unauthorized</body></html>".getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
    }

    private void answerAutodiscover(HttpExchange ex, byte[] body, Map<String, String> headers,
                                    FakeExchange.Account account) throws IOException {
        String email = "";
        try {
            Document doc = Soap.parse(body);
            email = Soap.descendant(doc.getDocumentElement(), "EMailAddress").map(Element::getTextContent).orElse("");
        } catch (Exception e) {
            send(ex, 400, "text/html", new byte[0]);
            return;
        }
        record(new Recorded("Autodiscover", headers, cap(body), account.login(), email));
        var answer = autodiscover;
        String xml = answer != null ? answer.apply(headers.getOrDefault("host", ""), email)
                : autodiscoverSettings(ewsUrl().toString());
        send(ex, 200, "text/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8));
    }

    private void answerEws(HttpExchange ex, byte[] body, Map<String, String> headers, FakeExchange.Account account)
            throws IOException {
        Document doc;
        try {
            doc = Soap.parse(body);
        } catch (Exception e) {
            send(ex, 400, "text/html", "<html>bad request</html>".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Element envelope = doc.getDocumentElement();
        Element header = Soap.child(envelope, "Header").orElse(null);
        Element soapBody = Soap.child(envelope, "Body").orElseThrow();
        Element request = Soap.children(soapBody).get(0);
        String op = request.getLocalName();
        String impersonated = header == null ? null : Soap.descendant(header, "ExchangeImpersonation")
                .flatMap(i -> Soap.descendant(i, "SmtpAddress").or(() -> Soap.descendant(i, "PrincipalName")))
                .map(e -> e.getTextContent().trim()).orElse(null);
        record(new Recorded(op, headers, cap(body), account.login(), impersonated));

        Faults.Rule fault = faults.next(op);
        boolean truncate = false;
        if (fault != null) {
            switch (fault.kind()) {
                case PASS -> {
                    // answered normally
                }
                case SERVER_BUSY -> {
                    send(ex, 500, "text/xml; charset=utf-8", Soap.fault("ErrorServerBusy",
                            "The server cannot service this request right now. Try again later.", fault.millis())
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case EXCEEDED_CONNECTION_COUNT -> {
                    send(ex, 500, "text/xml; charset=utf-8", Soap.fault("ErrorExceededConnectionCount",
                            "You have exceeded the maximum number of objects that can be returned.", 0)
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case HTTP_503 -> {
                    send(ex, 503, "text/html", "<html><body>Service Unavailable</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case HTML -> {
                    send(ex, 200, "text/html; charset=utf-8", ("<!DOCTYPE html><html><head><title>Sign in</title>"
                            + "</head><body>Outlook Web App</body></html>").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                case SLOW -> {
                    try {
                        TimeUnit.MILLISECONDS.sleep(fault.millis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                case TRUNCATED -> truncate = true;
                case INVALID_SYNC_STATE -> {
                    if (op.equals("SyncFolderItems")) {
                        send(ex, 200, "text/xml; charset=utf-8", Soap.envelope(Soap.response("SyncFolderItems",
                                Soap.error("SyncFolderItems", "ErrorInvalidSyncStateData",
                                        "Synchronization state data is corrupt or otherwise invalid.", 0)))
                                .getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                }
            }
        }
        String answer;
        synchronized (exchange) {
            FakeMailbox mailbox;
            if (impersonated != null) {
                if (!account.impersonation()) {
                    send(ex, 500, "text/xml; charset=utf-8", Soap.fault("ErrorImpersonateUserDenied",
                            "The account does not have permission to impersonate the requested user.", 0)
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                mailbox = exchange.findMailbox(impersonated).orElse(null);
            } else {
                mailbox = account.mailbox() == null ? null : exchange.findMailbox(account.mailbox()).orElse(null);
            }
            if (mailbox == null) {
                send(ex, 500, "text/xml; charset=utf-8", Soap.fault("ErrorNonExistentMailbox",
                        "The SMTP address has no mailbox associated with it.", 0).getBytes(StandardCharsets.UTF_8));
                return;
            }
            try {
                answer = Soap.envelope(operations.dispatch(op, mailbox, request));
            } catch (EwsOperations.RequestError e) {
                answer = Soap.envelope(Soap.response(op, Soap.error(op, e.code, e.getMessage(), 0)));
            }
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        if (truncate) {
            ex.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes, 0, bytes.length / 2);
            }
            return;
        }
        send(ex, 200, "text/xml; charset=utf-8", bytes);
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Reads a request body, for extra routes. */
    static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
