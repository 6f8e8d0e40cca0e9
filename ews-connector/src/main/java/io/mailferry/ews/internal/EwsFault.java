package io.mailferry.ews.internal;

import io.mailferry.core.spi.AuthenticationFailedException;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.UnableToConnectException;
import microsoft.exchange.webservices.data.core.exception.http.HttpErrorException;
import microsoft.exchange.webservices.data.core.exception.service.remote.ServiceResponseException;
import microsoft.exchange.webservices.data.core.exception.service.local.ServiceXmlDeserializationException;

import javax.net.ssl.SSLException;
import javax.xml.stream.XMLStreamException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What went wrong with one EWS request, found by walking the exception's cause chain
 * (ews-java-api wraps SOAP faults and HTTP errors in {@code ServiceRequestException}s), and what
 * to do about it.
 *
 * @param kind     the class of failure
 * @param code     the EWS response code (e.g. {@code ErrorServerBusy}) or {@code HTTP 503}, or the
 *                 exception's class name
 * @param message  a description for the administrator, without secrets
 * @param backOff  the server's requested back-off ({@code BackOffMilliseconds}), or {@code null}
 */
public record EwsFault(Kind kind, String code, String message, Duration backOff) {

    /** Classes of failure, by what the connector does about them. */
    public enum Kind {
        /** The server asked to wait ({@code ErrorServerBusy}): wait its back-off, then retry. */
        THROTTLED,
        /** Too busy right now (HTTP 503, {@code ErrorExceededConnectionCount}): back off exponentially. */
        BUSY,
        /** A timeout or a broken answer (truncated or non-XML): retry with back-off. */
        TRANSIENT,
        /** The SyncState is no longer valid ({@code ErrorInvalidSyncStateData}): start the folder over. */
        INVALID_SYNC_STATE,
        /** The server cannot be reached. */
        CONNECTION,
        /** TLS failed (certificate not trusted, wrong host name, no common protocol). */
        TLS,
        /** Credentials refused, or no right to impersonate the mailbox. */
        AUTHENTICATION,
        /** The folder does not exist. */
        FOLDER_NOT_FOUND,
        /** The mailbox is full. */
        QUOTA,
        /** The server refused the request for good. */
        REFUSED
    }

    private static final Set<String> BUSY_CODES = Set.of("ErrorExceededConnectionCount", "ErrorTooManyObjectsOpened",
            "ErrorInternalServerTransientError", "ErrorMailboxStoreUnavailable", "ErrorConnectionFailed",
            "ErrorMailboxMoveInProgress", "ErrorInsufficientResources");
    private static final Set<String> AUTH_CODES = Set.of("ErrorImpersonateUserDenied", "ErrorImpersonationDenied",
            "ErrorNonExistentMailbox", "ErrorAccessDenied", "ErrorInvalidUserSid", "ErrorInvalidUserPrincipalName",
            "ErrorMailboxConfiguration", "ErrorProxyRequestNotAllowed", "ErrorInvalidSid");

    /** Returns {@code true} if the same request may succeed when sent again after a wait. */
    public boolean retryable() {
        return kind == Kind.THROTTLED || kind == Kind.BUSY || kind == Kind.TRANSIENT;
    }

    /**
     * Returns {@code true} if the server surely did not carry out the request (it turned it away
     * before working on it), so that even a request that creates items can be sent again.
     */
    public boolean notProcessed() {
        return kind == Kind.THROTTLED || kind == Kind.BUSY;
    }

    /**
     * Classifies a failure of one request.
     *
     * @param e the exception ews-java-api or the HTTP client threw
     * @return the fault
     */
    public static EwsFault classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServiceResponseException sre) {
                String code = String.valueOf(sre.getErrorCode());
                return fromCode(code, sre.getMessage(), backOffOf(sre.getResponse() == null ? null
                        : sre.getResponse().getErrorDetails()));
            }
            if (t instanceof HttpErrorException http) {
                return fromHttp(http.getHttpErrorCode(), http.getMessage());
            }
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return new EwsFault(Kind.TLS, t.getClass().getSimpleName(), "TLS failed: " + t.getMessage(), null);
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException) {
                return new EwsFault(Kind.CONNECTION, t.getClass().getSimpleName(),
                        "cannot connect: " + t.getMessage(), null);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new EwsFault(Kind.TRANSIENT, "Timeout", "no answer in time: " + t.getMessage(), null);
            }
            if (t instanceof SocketException) {
                return new EwsFault(Kind.TRANSIENT, t.getClass().getSimpleName(),
                        "connection broken: " + t.getMessage(), null);
            }
            if (t instanceof XMLStreamException || t instanceof ServiceXmlDeserializationException) {
                return new EwsFault(Kind.TRANSIENT, "BrokenResponse",
                        "the answer was not complete, well-formed SOAP: " + t.getMessage(), null);
            }
            String msg = t.getMessage() == null ? "" : t.getMessage();
            if (msg.contains("didn't contain valid XML")) {
                return new EwsFault(Kind.TRANSIENT, "NotXml", "the server answered with something other than "
                        + "SOAP XML (an HTML error or login page of a proxy?)", null);
            }
            if (msg.contains("Connection is still allocated")) {
                return new EwsFault(Kind.REFUSED, "ConcurrentUse", "one EWS session was used by two threads", null);
            }
        }
        String name = e.getClass().getSimpleName();
        return new EwsFault(Kind.TRANSIENT, name, name + ": " + e.getMessage(), null);
    }

    /**
     * Classifies an EWS response code (of a SOAP fault or of one response message).
     *
     * @param code    e.g. {@code ErrorServerBusy}
     * @param message the server's text
     * @param backOff its BackOffMilliseconds, or {@code null}
     * @return the fault
     */
    public static EwsFault fromCode(String code, String message, Duration backOff) {
        String text = code + (message == null || message.isBlank() ? "" : ": " + message);
        if ("ErrorServerBusy".equals(code)) {
            return new EwsFault(Kind.THROTTLED, code, text, backOff);
        }
        if (BUSY_CODES.contains(code)) {
            return new EwsFault(Kind.BUSY, code, text, backOff);
        }
        if ("ErrorTimeoutExpired".equals(code)) {
            return new EwsFault(Kind.TRANSIENT, code, text, null);
        }
        if ("ErrorInvalidSyncStateData".equals(code)) {
            return new EwsFault(Kind.INVALID_SYNC_STATE, code, text, null);
        }
        if (AUTH_CODES.contains(code)) {
            return new EwsFault(Kind.AUTHENTICATION, code, text, null);
        }
        if ("ErrorFolderNotFound".equals(code)) {
            return new EwsFault(Kind.FOLDER_NOT_FOUND, code, text, null);
        }
        if ("ErrorQuotaExceeded".equals(code)) {
            return new EwsFault(Kind.QUOTA, code, text, null);
        }
        return new EwsFault(Kind.REFUSED, code, text, null);
    }

    private static EwsFault fromHttp(int status, String message) {
        String code = "HTTP " + status;
        return switch (status) {
            case 401 -> new EwsFault(Kind.AUTHENTICATION, code,
                    "HTTP 401: the server refused the credentials (or the authentication method)", null);
            case 403 -> new EwsFault(Kind.AUTHENTICATION, code,
                    "HTTP 403: access to EWS is forbidden for this account or client (EWS access policy?)", null);
            case 429, 503 -> new EwsFault(Kind.BUSY, code, "HTTP " + status + ": the server is too busy", null);
            case 502, 504 -> new EwsFault(Kind.TRANSIENT, code, "HTTP " + status + " from a proxy in front of EWS", null);
            case 404 -> new EwsFault(Kind.REFUSED, code, "HTTP 404: no EWS at this URL", null);
            default -> new EwsFault(status >= 500 ? Kind.TRANSIENT : Kind.REFUSED, code,
                    "HTTP " + status + (message == null ? "" : ": " + message), null);
        };
    }

    private static Duration backOffOf(Map<String, String> details) {
        if (details == null) {
            return null;
        }
        String v = details.get("BackOffMilliseconds");
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Turns this fault into the SPI's exception.
     *
     * @param what what was being done, e.g. {@code SyncFolderItems of 'INBOX'}
     * @param cause the original exception, or {@code null}
     * @return the exception to throw
     */
    public ConnectorException toException(String what, Throwable cause) {
        String text = what + ": " + message;
        return switch (kind) {
            case THROTTLED, BUSY -> new ConnectorException(ConnectorException.Kind.THROTTLED, text, cause);
            case TRANSIENT, INVALID_SYNC_STATE -> new ConnectorException(ConnectorException.Kind.PROTOCOL, text, cause);
            case CONNECTION -> new UnableToConnectException(ConnectorException.Kind.CONNECTION, text, cause);
            case TLS -> new UnableToConnectException(ConnectorException.Kind.TLS, text, cause);
            case AUTHENTICATION -> new AuthenticationFailedException(text, cause);
            case FOLDER_NOT_FOUND -> new ConnectorException(ConnectorException.Kind.FOLDER_NOT_FOUND, text, cause);
            case QUOTA -> new ConnectorException(ConnectorException.Kind.QUOTA, text, cause);
            case REFUSED -> new ConnectorException(ConnectorException.Kind.REFUSED, text, cause);
        };
    }
}
