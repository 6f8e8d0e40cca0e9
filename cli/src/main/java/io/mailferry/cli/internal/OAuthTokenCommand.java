package io.mailferry.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An OAuth access token source in the manner of mbsync's {@code PassCmd}: a shell command whose
 * standard output, trimmed, is the access token.
 *
 * <p>The command runs as {@code /bin/sh -c COMMAND mailferry USER EMAIL}, so {@code $1} is the
 * login name and {@code $2} the user's e-mail address; the environment also has
 * {@code MAILFERRY_USER}, {@code MAILFERRY_EMAIL}, {@code MAILFERRY_ENDPOINT},
 * {@code MAILFERRY_HOST} and {@code MAILFERRY_TOKEN_REFUSED} ({@code true} when the server has just
 * refused the previous token, so the command should not print a cached one). The placeholders
 * {@value #USER_PLACEHOLDER} and {@value #EMAIL_PLACEHOLDER} in the command are replaced by
 * references to those variables ({@code "${MAILFERRY_USER}"}, quoted), never by the values
 * themselves, so a user name is never parsed by the shell (no injection); a placeholder inside
 * single quotes, where the shell would not expand it, is refused.
 *
 * <p>Standard input is empty, standard error is discarded (a command may print diagnostics that
 * include the token), standard output is read up to {@value #MAX_OUTPUT_BYTES} bytes. A command
 * that exits with a status other than 0, prints nothing, prints more than one word or does not
 * finish within {@link #TIMEOUT} fails with an {@link OAuthTokenException} that names the endpoint,
 * the user and the exit status, never the output. Thread-safe.
 */
final class OAuthTokenCommand {

    /** Replaced by the login name the token is for. */
    static final String USER_PLACEHOLDER = "{user}";
    /** Replaced by the user's e-mail address (the batch's EmailAddress). */
    static final String EMAIL_PLACEHOLDER = "{email}";
    /** How long the command may run: 30 s. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The most output read: a token is a few kilobytes at most. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private final String template;
    private final String shellText;
    private final Duration timeout;

    /**
     * @param template the command as the administrator wrote it, with optional placeholders
     * @throws IllegalArgumentException if the command is blank or a placeholder is inside single
     *                                  quotes
     */
    OAuthTokenCommand(String template) {
        this(template, TIMEOUT);
    }

    OAuthTokenCommand(String template, Duration timeout) {
        this.template = Objects.requireNonNull(template, "template");
        if (template.isBlank()) {
            throw new IllegalArgumentException("--oauth-token-command: the command is empty");
        }
        this.shellText = shellText(template);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Returns the command as given (configuration, not a secret). */
    String template() {
        return template;
    }

    /**
     * The command with each placeholder replaced by a reference to its environment variable:
     * {@code "${MAILFERRY_USER}"} outside quotes, {@code ${MAILFERRY_USER}} inside double quotes.
     *
     * @throws IllegalArgumentException if a placeholder is inside single quotes
     */
    static String shellText(String template) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        char quote = 0; // 0, '\'' or '"'
        int n = template.length();
        for (int i = 0; i < n; i++) {
            String variable = template.startsWith(USER_PLACEHOLDER, i) ? "MAILFERRY_USER"
                    : template.startsWith(EMAIL_PLACEHOLDER, i) ? "MAILFERRY_EMAIL" : null;
            if (variable != null) {
                if (quote == '\'') {
                    throw new IllegalArgumentException("--oauth-token-command: " + template.substring(i,
                            template.indexOf('}', i) + 1) + " is inside single quotes, where the shell does not"
                            + " expand it; put it outside quotes or inside double quotes");
                }
                out.append(quote == '"' ? "${" + variable + "}" : "\"${" + variable + "}\"");
                i = template.indexOf('}', i);
                continue;
            }
            char c = template.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < n) {
                out.append(c).append(template.charAt(++i));
                continue;
            }
            if (c == '\'' && quote != '"') {
                quote = quote == '\'' ? 0 : '\'';
            } else if (c == '"' && quote != '\'') {
                quote = quote == '"' ? 0 : '"';
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Runs the command and returns the token it prints.
     *
     * @param endpoint the endpoint's name
     * @param host     the server's host name
     * @param user     the login name the token is for
     * @param email    the user's e-mail address
     * @param refused  whether the server has just refused the previous token
     * @return the token, trimmed, not blank
     * @throws OAuthTokenException if the command fails; the message never holds its output
     */
    String fetch(String endpoint, String host, String user, String email, boolean refused) {
        String who = "The OAuth token command of endpoint '" + endpoint + "' for '" + user + "'";
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", shellText, "mailferry", user, email));
        Map<String, String> env = pb.environment();
        env.put("MAILFERRY_USER", user);
        env.put("MAILFERRY_EMAIL", email);
        env.put("MAILFERRY_ENDPOINT", endpoint);
        env.put("MAILFERRY_HOST", host);
        env.put("MAILFERRY_TOKEN_REFUSED", Boolean.toString(refused));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new OAuthTokenException(who + " could not be started: " + e.getMessage());
        }
        Reader reader = new Reader(p.getInputStream());
        Thread t = new Thread(reader, "mailferry-oauth-token-command");
        t.setDaemon(true);
        t.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new OAuthTokenException(who + " did not finish within " + timeout.toSeconds() + " s");
            }
            // a process the command left in the background may hold its output open: do not wait for it
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new OAuthTokenException(who + " was interrupted");
        } finally {
            closeQuietly(p.getInputStream());
        }
        int status = p.exitValue();
        if (status != 0) {
            throw new OAuthTokenException(who + " failed with exit status " + status);
        }
        String token = reader.text().strip();
        if (token.isEmpty()) {
            throw new OAuthTokenException(who + " printed no token (exit status 0, empty output)");
        }
        if (reader.overflow() || token.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch))) {
            throw new OAuthTokenException(who + " printed more than one token (the output, trimmed, must be the"
                    + " access token alone)");
        }
        return token;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the pipe is gone
        }
    }

    /** Reads standard output, keeping at most {@link #MAX_OUTPUT_BYTES}, draining the rest. */
    private static final class Reader implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean overflow;

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int r; (r = in.read(buf)) >= 0; ) {
                    synchronized (this) {
                        int keep = Math.max(0, Math.min(r, MAX_OUTPUT_BYTES - bytes.size()));
                        bytes.write(buf, 0, keep);
                        overflow |= keep < r;
                    }
                }
            } catch (IOException closed) {
                // closed after the process ended or was killed
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized boolean overflow() {
            return overflow;
        }
    }

    /** Shows the command (configuration), never a token. */
    @Override
    public String toString() {
        return "OAuthTokenCommand[" + template + "]";
    }
}
