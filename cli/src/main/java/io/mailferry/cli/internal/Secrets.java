package io.mailferry.cli.internal;

import io.mailferry.core.Credentials;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationService;
import io.mailferry.core.MigrationUserEntry;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Passwords for the commands. The state never holds one: an endpoint's administrator password
 * and the users' passwords are given to each command that copies, from an option (prompted when
 * given without a value), from the environment, or (users) from the batch's CSV file.
 *
 * <p>Environment: {@code MAILFERRY_PASSWORD_<ENDPOINT>} (the endpoint's name in upper case, other
 * characters than letters and digits as {@code _}) for one endpoint, or
 * {@code MAILFERRY_SOURCE_ADMIN_PASSWORD} / {@code MAILFERRY_TARGET_ADMIN_PASSWORD} for the
 * source and target endpoints of the batch at hand.
 */
final class Secrets {
    static final String SOURCE_ENV = "MAILFERRY_SOURCE_ADMIN_PASSWORD";
    static final String TARGET_ENV = "MAILFERRY_TARGET_ADMIN_PASSWORD";

    private Secrets() {
    }

    /** The environment variable of one endpoint's administrator password. */
    static String envName(String endpointName) {
        StringBuilder sb = new StringBuilder("MAILFERRY_PASSWORD_");
        for (char c : endpointName.toUpperCase(Locale.ROOT).toCharArray()) {
            sb.append(c < 128 && Character.isLetterOrDigit(c) ? c : '_');
        }
        return sb.toString();
    }

    /** The first of: the option's value, the endpoint's variable, the role's variable; or {@code null}. */
    static String endpointPassword(String endpointName, String option, String roleEnv) {
        if (option != null) {
            return option;
        }
        String v = System.getenv(envName(endpointName));
        if (v != null) {
            return v;
        }
        return roleEnv == null ? null : System.getenv(roleEnv);
    }

    /**
     * Hands the administrator passwords of a batch's endpoints back to the service, when they have
     * an administrator and a password is at hand.
     */
    static void supplyEndpoints(MigrationService service, MigrationBatch batch, String sourcePassword,
                                String targetPassword, PrintWriter out) {
        supply(service, batch.sourceEndpoint().name(), endpointPassword(batch.sourceEndpoint().name(), sourcePassword,
                SOURCE_ENV), out);
        if (!batch.targetEndpoint().name().equals(batch.sourceEndpoint().name())) {
            supply(service, batch.targetEndpoint().name(), endpointPassword(batch.targetEndpoint().name(),
                    targetPassword, TARGET_ENV), out);
        }
    }

    private static void supply(MigrationService service, String endpointName, String password, PrintWriter out) {
        MigrationEndpoint ep = service.getEndpoint(endpointName);
        if (ep.admin().isEmpty()) {
            return;
        }
        if (password == null && ImapEndpointSettings.usesOAuth(ep) && ep.admin().get().password().isEmpty()) {
            password = ImapEndpointSettings.OAUTH_PASSWORD; // the token provider logs in, not a password
        }
        if (password == null) {
            if (ep.admin().get().password().isEmpty()) {
                out.printf("Note: no password for the administrator of endpoint '%s' (option or %s); users that"
                        + " need it wait for it.%n", endpointName, envName(endpointName));
            }
            return;
        }
        service.setEndpoint(ep.toBuilder().adminCredentials(new Credentials(ep.admin().get().username(), password))
                .build());
    }

    /**
     * Hands the users' passwords of a CSV back to a batch: only rows of users the batch has
     * ({@code batch set --add-users} adds new ones).
     *
     * @return how many users got their passwords back
     */
    static int supplyUsers(MigrationBatch batch, List<MigrationUserEntry> rows) {
        List<MigrationUserEntry> known = oauthTargets(rows, batch.targetEndpoint()).stream().filter(r -> batch.user(r.emailAddress()).isPresent()).toList();
        if (!known.isEmpty()) {
            batch.addUsers(known);
        }
        return known.size();
    }

    /**
     * Rows for a target endpoint that logs in with OAuth and has no administrator: each mailbox
     * logs in as its EmailAddress with a token for it (the CLI's token provider), so a row without
     * TargetUserName/TargetPassword gets its EmailAddress and a stand-in for the password that is
     * never sent ({@link ImapEndpointSettings#OAUTH_PASSWORD}).
     */
    static List<MigrationUserEntry> oauthTargets(List<MigrationUserEntry> rows, MigrationEndpoint target) {
        if (!ImapEndpointSettings.usesOAuth(target) || target.admin().isPresent()) {
            return rows;
        }
        return rows.stream().map(e -> e.targetCredentials().isPresent() ? e
                : e.withTargetCredentials(e.emailAddress(), ImapEndpointSettings.OAUTH_PASSWORD)).toList();
    }
}
