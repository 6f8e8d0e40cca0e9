package io.mailferry.imap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OAuthTokenProvider} that keeps each user's token until shortly before it expires and
 * fetches a new one from a {@link TokenSource} when it has expired, or at once when the server
 * refused it. Thread-safe; one fetch per user at a time.
 *
 * <pre>{@code
 * OAuthTokenProvider tokens = new CachingOAuthTokenProvider(request -> {
 *     TokenResponse t = myOAuthClient.clientCredentials(request.username());   // the host's OAuth client
 *     return new CachingOAuthTokenProvider.AccessToken(t.accessToken(), Instant.now().plusSeconds(t.expiresIn()));
 * });
 * }</pre>
 */
public final class CachingOAuthTokenProvider implements OAuthTokenProvider {

    /** Fetches a new token, e.g. with a refresh token or client credentials. */
    @FunctionalInterface
    public interface TokenSource {
        /**
         * @param request who needs the token
         * @return a new token with its expiry
         */
        AccessToken fetch(TokenRequest request);
    }

    /**
     * A token and when it expires. {@link #toString()} hides the token.
     *
     * @param value     the access token, not blank
     * @param expiresAt when it stops being valid, not {@code null}
     */
    public record AccessToken(String value, Instant expiresAt) {
        /**
         * Validates the components.
         *
         * @throws NullPointerException     if a component is {@code null}
         * @throws IllegalArgumentException if the token is blank
         */
        public AccessToken {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (value.isBlank()) {
                throw new IllegalArgumentException("access token must not be blank");
            }
        }

        @Override
        public String toString() {
            return "AccessToken[****, expiresAt=" + expiresAt + "]";
        }
    }

    /** Tokens are renewed this long before they expire: 60 s. */
    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);

    private final TokenSource source;
    private final Clock clock;
    private final Duration skew;
    private final ConcurrentHashMap<String, AccessToken> cache = new ConcurrentHashMap<>();

    /**
     * @param source where new tokens come from
     */
    public CachingOAuthTokenProvider(TokenSource source) {
        this(source, Clock.systemUTC(), DEFAULT_SKEW);
    }

    /**
     * @param source where new tokens come from
     * @param clock  the clock expiry is checked against
     * @param skew   how long before expiry a token is renewed, not negative
     */
    public CachingOAuthTokenProvider(TokenSource source, Clock clock, Duration skew) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skew = Objects.requireNonNull(skew, "skew");
        if (skew.isNegative()) {
            throw new IllegalArgumentException("skew must not be negative");
        }
    }

    @Override
    public String accessToken(TokenRequest request) {
        String key = request.endpoint() + "\u0000" + request.host() + "\u0000" + request.username();
        return cache.compute(key, (k, held) -> {
            if (held != null && !request.refused() && clock.instant().plus(skew).isBefore(held.expiresAt())) {
                return held;
            }
            AccessToken fresh = source.fetch(request);
            if (fresh == null) {
                throw new IllegalStateException("the token source returned no token for " + request.username());
            }
            return fresh;
        }).value();
    }
}
