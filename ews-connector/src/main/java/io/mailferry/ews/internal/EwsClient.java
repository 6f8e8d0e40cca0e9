package io.mailferry.ews.internal;

import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.SessionObserver;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.misc.ConnectingIdType;
import microsoft.exchange.webservices.data.credential.WebCredentials;
import microsoft.exchange.webservices.data.misc.ImpersonatedUserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * One mailbox session's connection to EWS: one {@link ExchangeService} (the library's service
 * holds exactly one HTTP connection, so each session, used by one thread at a time, has its own),
 * configured with MailFerry's TLS verification, credentials, impersonation headers and
 * User-Agent, and a retry loop around every request:
 * <ul>
 *   <li>the service account's request limit is taken for the duration of each request;</li>
 *   <li>a transfer's weight is reserved from the memory budget for the duration of the request;</li>
 *   <li>throttling ({@code ErrorServerBusy}, HTTP 503, {@code ErrorExceededConnectionCount}) waits
 *       as {@link RetryPolicy} says, reported to the {@link SessionObserver} as a stall;</li>
 *   <li>timeouts and broken answers are retried with back-off, but only for requests that change
 *       nothing (a request that creates items is not repeated after an answer that got lost: the
 *       caller's next pass finds what it created).</li>
 * </ul>
 * Not thread-safe.
 */
public final class EwsClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EwsClient.class);

    /** One EWS call on the service. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * @param service the session's service
         * @return the result
         * @throws Exception as the library throws it
         */
        T run(ExchangeService service) throws Exception;
    }

    /** A failed call whose fault the caller wants to handle itself. */
    public static final class FaultException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient EwsFault fault;

        FaultException(EwsFault fault, Throwable cause) {
            super(fault.message(), cause);
            this.fault = fault;
        }

        /** Returns the fault. */
        public EwsFault fault() {
            return fault;
        }
    }

    private final EwsSettings settings;
    private final EwsRuntime runtime;
    /** Replaced after a failed request: the library may leave its one connection allocated. */
    private ExchangeService service;
    private final Semaphore limiter;
    private final MemoryBudget budget;
    private final RetryPolicy retry;
    private SessionObserver observer = SessionObserver.NONE;

    /**
     * Creates the session's service; runs Autodiscover first when the settings ask for it.
     *
     * @param settings the endpoint and mailbox
     * @param runtime  the provider's shared state
     * @throws ConnectorException if Autodiscover fails
     */
    public EwsClient(EwsSettings settings, EwsRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        EwsSettings s = settings;
        if (s.autodiscover()) {
            URI url = runtime.discovered(s.endpointName(), s.autodiscoverEmail());
            if (url == null) {
                url = new Autodiscover(s).discover(s.autodiscoverEmail());
                runtime.discovered(s.endpointName(), s.autodiscoverEmail(), url);
            }
            s = s.withUrl(url);
        }
        this.settings = s;
        this.limiter = runtime.limiter(s);
        this.budget = runtime.budget(s.maxBytesInFlight());
        this.retry = new RetryPolicy(s.retry(), runtime.random());
        this.service = configure(s);
        if (!s.https()) {
            LOG.warn("Endpoint '{}': EWS over plain HTTP ({}); credentials and mail travel unencrypted",
                    s.endpointName(), s.url());
        }
    }

    private static ExchangeService configure(EwsSettings s) {
        StrictExchangeService svc = StrictExchangeService.create(s.serverVersion(), s.tls(), s.endpointName());
        svc.setUrl(s.url());
        svc.setUserAgent(s.userAgent());
        svc.setTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, s.timeout().toMillis())));
        switch (s.authentication()) {
            case BASIC -> {
                svc.setUseDefaultCredentials(true);
                svc.getHttpHeaders().put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (s.login() + ":" + s.secret()).getBytes(StandardCharsets.UTF_8)));
            }
            case BEARER -> {
                svc.setUseDefaultCredentials(true);
                svc.getHttpHeaders().put("Authorization", "Bearer " + s.secret());
            }
            default -> svc.setCredentials(s.loginDomain() == null
                    ? new WebCredentials(s.loginUser(), s.secret())
                    : new WebCredentials(s.loginUser(), s.secret(), s.loginDomain()));
        }
        if (s.impersonate()) {
            svc.setImpersonatedUserId(new ImpersonatedUserId(
                    s.mailbox().contains("@") ? ConnectingIdType.SmtpAddress : ConnectingIdType.PrincipalName,
                    s.mailbox()));
        }
        if (s.anchorMailbox() != null) {
            svc.getHttpHeaders().put("X-AnchorMailbox", s.anchorMailbox());
        }
        return svc;
    }

    /** Returns the settings (with the URL Autodiscover found). */
    public EwsSettings settings() {
        return settings;
    }

    /** Returns the provider's shared state. */
    public EwsRuntime runtime() {
        return runtime;
    }

    /** Returns the counters. */
    public EwsCounters counters() {
        return runtime.counters();
    }

    /** Returns the memory budget. */
    public MemoryBudget budget() {
        return budget;
    }

    /** Returns the retry policy. */
    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** Returns the service's last known server version, e.g. {@code 15.1.2507}, or {@code null}. */
    public String serverVersion() {
        var info = service.getServerInfo();
        return info == null ? null : info.getMajorVersion() + "." + info.getMinorVersion() + "."
                + info.getMajorBuildNumber() + "." + info.getMinorBuildNumber()
                + (info.getVersionString() == null ? "" : " (" + info.getVersionString() + ")");
    }

    /** @param observer whom to tell about stalls */
    public void observe(SessionObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Runs a request with retries.
     *
     * @param what       for messages, e.g. {@code GetItem in 'INBOX'}
     * @param idempotent {@code false} for requests that create items: they are repeated only after
     *                   answers that say the server did not work on them
     * @param weight     memory to reserve, 0 for none
     * @param call       the request
     * @return its result
     * @throws ConnectorException when retries are exhausted or the fault is permanent
     */
    public <T> T call(String what, boolean idempotent, long weight, Call<T> call) {
        try {
            return callOrFault(what, idempotent, weight, call);
        } catch (FaultException e) {
            throw e.fault().toException(what, e.getCause());
        }
    }

    /**
     * Like {@link #call}, but throws the fault for the caller to handle when retries are
     * exhausted or the fault is permanent.
     *
     * @throws FaultException with the fault
     */
    public <T> T callOrFault(String what, boolean idempotent, long weight, Call<T> call) throws FaultException {
        for (int attempt = 0; ; attempt++) {
            checkInterrupted(what);
            Throwable failure;
            boolean reserved = false;
            boolean permitted = false;
            try {
                if (weight > 0) {
                    budget.acquire(weight);
                    reserved = true;
                }
                limiter.acquire();
                permitted = true;
                runtime.counters().requests.increment();
                return call.run(service);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ConnectorException.Kind.PROTOCOL, what + ": interrupted", e);
            } catch (Exception e) {
                failure = e;
            } finally {
                if (permitted) {
                    limiter.release();
                }
                if (reserved) {
                    budget.release(weight);
                }
            }
            EwsFault fault = EwsFault.classify(failure);
            renewConnection();
            if (!idempotent && !fault.notProcessed()) {
                throw new FaultException(fault, failure);
            }
            Optional<Duration> delay = retry.delay(fault, attempt);
            if (delay.isEmpty()) {
                if (fault.retryable()) {
                    LOG.warn("{}: giving up after {} retries: {}", what, attempt, fault.message());
                }
                throw new FaultException(fault, failure);
            }
            waitBeforeRetry(what, fault, delay.get(), attempt);
        }
    }

    /**
     * Waits before a retry, reporting throttling as a stall.
     *
     * @param what    what is retried
     * @param fault   why
     * @param delay   how long
     * @param attempt retries so far
     */
    public void waitBeforeRetry(String what, EwsFault fault, Duration delay, int attempt) {
        runtime.counters().retries.increment();
        boolean throttled = fault.kind() == EwsFault.Kind.THROTTLED || fault.kind() == EwsFault.Kind.BUSY;
        if (throttled) {
            runtime.counters().throttledWaits.increment();
            runtime.counters().throttledMillis.add(delay.toMillis());
            LOG.info("{}: throttled ({}); waiting {} ms (retry {})", what, fault.message(), delay.toMillis(),
                    attempt + 1);
            safely(() -> observer.stalled(fault.message(), delay));
        } else {
            LOG.warn("{}: {}; retrying in {} ms (retry {})", what, fault.message(), delay.toMillis(), attempt + 1);
        }
        try {
            runtime.sleeper().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, what + ": interrupted while backing off", e);
        } finally {
            if (throttled) {
                safely(() -> observer.resumed(delay));
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("session observer failed", e);
        }
    }

    private static void checkInterrupted(String what) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ConnectorException(ConnectorException.Kind.PROTOCOL, what + ": interrupted");
        }
    }

    /**
     * Starts over with a new service (and connection): ews-java-api does not release its single
     * connection when an answer is not XML or breaks off, and the next request would fail with
     * "Connection is still allocated".
     */
    private void renewConnection() {
        try {
            service.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the EWS service", e);
        }
        service = configure(settings);
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (RuntimeException e) {
            LOG.debug("closing the EWS service", e);
        }
    }
}
