package io.mailferry.imap.internal;

import org.eclipse.angus.mail.iap.Response;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A status response (OK/NO/BAD/BYE) split into its response code and human-readable text
 * (RFC 3501 section 7.1; codes of RFC 5530).
 *
 * @param status   {@code OK}, {@code NO}, {@code BAD}, {@code BYE} or {@code PREAUTH}
 * @param code     the response code in upper case, e.g. {@code OVERQUOTA}, or {@code null}
 * @param codeArgs the code's arguments as sent, e.g. {@code 38505 3955} for APPENDUID, or {@code null}
 * @param text     the text after the code, possibly empty
 */
record ServerReply(String status, String code, String codeArgs, String text) {

    private static final Pattern LINE = Pattern.compile(
            "^(?:\\S+\\s+)?(OK|NO|BAD|BYE|PREAUTH)\\b\\s*(.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("^\\[([^\\s\\]]+)(?:\\s+([^\\]]*))?\\]\\s*(.*)$", Pattern.DOTALL);

    /**
     * Parses a status line without its tag, e.g. {@code NO [OVERQUOTA] Quota exceeded}.
     *
     * @param line the line, with or without a tag or {@code *} in front
     * @return the parts; an unparseable line is all text
     */
    static ServerReply parse(String line) {
        String s = line.strip();
        Matcher m = LINE.matcher(s);
        String status = "";
        String rest = s;
        if (m.matches()) {
            status = m.group(1).toUpperCase(Locale.ROOT);
            rest = m.group(2);
        }
        Matcher c = CODE.matcher(rest);
        if (c.matches()) {
            return new ServerReply(status, c.group(1).toUpperCase(Locale.ROOT), c.group(2), c.group(3).strip());
        }
        return new ServerReply(status, null, null, rest.strip());
    }

    /**
     * Parses a response read by Angus.
     *
     * @param response a tagged or untagged status response
     * @return the parts
     */
    static ServerReply of(Response response) {
        if (response.isSynthetic()) {
            Exception e = response.getException();
            return new ServerReply("BYE", null, null, e == null ? "connection lost" : String.valueOf(e.getMessage()));
        }
        return parse(response.toString());
    }

    /** Returns {@code true} if the response code is {@code code} (ignoring case). */
    boolean hasCode(String code) {
        return this.code != null && this.code.equalsIgnoreCase(code);
    }

    /** Returns the reply as the server wrote it, without tag: {@code NO [OVERQUOTA] Quota exceeded}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(status);
        if (code != null) {
            sb.append(sb.length() > 0 ? " [" : "[").append(code);
            if (codeArgs != null) {
                sb.append(' ').append(codeArgs);
            }
            sb.append(']');
        }
        if (!text.isEmpty()) {
            sb.append(sb.length() > 0 ? " " : "").append(text);
        }
        return sb.toString();
    }
}
