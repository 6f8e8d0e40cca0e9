package io.mailferry.cli.internal;

import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUser;
import io.mailferry.imap.ImapConnectorProvider;
import io.mailferry.imap.OAuthTokenProvider;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The CLI's {@link OAuthTokenProvider}: the connector asks it for a token at every login (a new
 * mailbox pass, a reconnect) and once more, marked refused, when the server refuses a token; each
 * time the endpoint's token command ({@value ImapEndpointSettings#TOKEN_COMMAND}, see
 * {@link OAuthTokenCommand}) runs again, as mbsync runs {@code PassCmd} for every connection. An
 * endpoint without a command takes the token from the environment: {@code MAILFERRY_OAUTH_TOKEN_<ENDPOINT>}
 * (the endpoint's name in upper case, other characters than letters and digits as {@code _}),
 * else {@code MAILFERRY_OAUTH_TOKEN}, for one-off runs with a token obtained elsewhere.
 *
 * <p>{@code {email}} of a source login is the e-mail address of the batch user with that
 * {@code UserName}; of a target login it is the login itself (the mailbox's EmailAddress).
 * Thread-safe.
 */
final class CliTokenProvider implements OAuthTokenProvider {

    /** The token of every OAuth endpoint without a command, for one-off runs. */
    static final String TOKEN_ENV = "MAILFERRY_OAUTH_TOKEN";

    private final AtomicReference<MigrationService> service = new AtomicReference<>();
    private final Function<String, String> environment;
    private final Map<String, OAuthTokenCommand> commands = new ConcurrentHashMap<>();

    /** @param environment reads an environment variable ({@code System::getenv}; tests replace it) */
    CliTokenProvider(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Registers the IMAP connector with this provider on a service builder; {@link #bind} the
     * built service.
     *
     * @return the provider to bind
     */
    static CliTokenProvider register(MigrationService.Builder b) {
        CliTokenProvider tokens = new CliTokenProvider(System::getenv);
        b.connector(new ImapConnectorProvider(tokens));
        return tokens;
    }

    /** The service whose endpoints and batches the provider reads. */
    void bind(MigrationService s) {
        service.set(Objects.requireNonNull(s, "service"));
    }

    /** The environment variable of one endpoint's token. */
    static String envName(String endpointName) {
        StringBuilder sb = new StringBuilder(TOKEN_ENV).append('_');
        for (char c : endpointName.toUpperCase(Locale.ROOT).toCharArray()) {
            sb.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
        }
        return sb.toString();
    }

    /** Whether a token can be had for the endpoint without running anything: a command or a variable. */
    boolean hasSource(MigrationEndpoint ep) {
        return ep.properties().containsKey(ImapEndpointSettings.TOKEN_COMMAND)
                || environment.apply(envName(ep.name())) != null || environment.apply(TOKEN_ENV) != null;
    }

    @Override
    public String accessToken(TokenRequest request) {
        MigrationService s = service.get();
        Optional<MigrationEndpoint> ep = s == null ? Optional.empty()
                : s.endpoints().stream().filter(e -> e.name().equals(request.endpoint())).findFirst();
        String template = ep.map(e -> e.properties().get(ImapEndpointSettings.TOKEN_COMMAND)).orElse(null);
        if (template != null && !template.isBlank()) {
            OAuthTokenCommand command = commands.compute(request.endpoint(),
                    (k, held) -> held != null && held.template().equals(template) ? held : new OAuthTokenCommand(template));
            return command.fetch(request.endpoint(), request.host(), request.username(),
                    usesEmail(template) ? emailOf(s, request) : request.username(), request.refused());
        }
        String token = environment.apply(envName(request.endpoint()));
        if (token == null || token.isBlank()) {
            token = environment.apply(TOKEN_ENV);
        }
        if (token == null || token.isBlank()) {
            throw new OAuthTokenException("no OAuth token for endpoint '" + request.endpoint() + "': give it an"
                    + " --oauth-token-command, or set " + envName(request.endpoint()) + " or " + TOKEN_ENV);
        }
        return token.strip();
    }

    /** Whether the command can read the e-mail address (looking it up reads every user of the batches). */
    private static boolean usesEmail(String template) {
        return template.contains(OAuthTokenCommand.EMAIL_PLACEHOLDER) || template.contains("MAILFERRY_EMAIL")
                || template.contains("$2") || template.contains("${2}") || template.contains("$@")
                || template.contains("$*");
    }

    /** The e-mail address of the batch user logging in, or the login itself. */
    private static String emailOf(MigrationService s, TokenRequest request) {
        for (MigrationBatch b : s.batches()) {
            if (!b.sourceEndpoint().name().equals(request.endpoint())) {
                continue;
            }
            for (MigrationUser u : b.users()) {
                if (u.sourceUserName().equals(request.username())) {
                    return u.emailAddress();
                }
            }
        }
        return request.username();
    }
}
