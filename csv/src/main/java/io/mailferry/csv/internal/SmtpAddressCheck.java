package io.mailferry.csv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A plain-code check of an SMTP mailbox address, as documented on
 * {@link io.mailferry.csv.CellValidator#smtpAddress(boolean)}. No regular expression: each rule is
 * one readable step with its own message.
 */
public final class SmtpAddressCheck {

    /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets, including the angle brackets. */
    static final int MAX_ADDRESS = 254;
    /** RFC 5321 section 4.5.3.1.1. */
    static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 1035 section 2.3.4. */
    static final int MAX_LABEL = 63;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private SmtpAddressCheck() {
    }

    /**
     * Checks an address.
     *
     * @param address the address, not {@code null}
     * @return what is wrong (a short phrase without the address), or empty if it is acceptable
     */
    public static Optional<String> problem(String address) {
        if (address.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (address.length() > MAX_ADDRESS) {
            return Optional.of("longer than " + MAX_ADDRESS + " characters");
        }
        for (int i = 0; i < address.length(); ) {
            int cp = address.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT) {
                return Optional.of("it contains spaces, control or invisible characters");
            }
            i += Character.charCount(cp);
        }
        if (address.indexOf('<') >= 0 || address.indexOf('>') >= 0) {
            return Optional.of("give the bare address, without a display name or angle brackets");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.of("it has no @");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.isEmpty()) {
            return Optional.of("nothing before the @");
        }
        if (domain.isEmpty()) {
            return Optional.of("no domain after the @");
        }
        Optional<String> localProblem = localPartProblem(local);
        return localProblem.isPresent() ? localProblem : domainProblem(domain);
    }

    private static Optional<String> localPartProblem(String local) {
        if (local.startsWith("\"")) {
            return Optional.of("quoted local parts are not accepted");
        }
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART_OCTETS) {
            return Optional.of("the part before the @ is longer than " + MAX_LOCAL_PART_OCTETS + " octets");
        }
        if (local.startsWith(".") || local.endsWith(".")) {
            return Optional.of("the part before the @ starts or ends with a dot");
        }
        if (local.contains("..")) {
            return Optional.of("two dots in a row");
        }
        for (int i = 0; i < local.length(); ) {
            int cp = local.codePointAt(i);
            if (cp == '@') {
                return Optional.of("more than one @");
            }
            if (!(cp == '.' || isAsciiLetterOrDigit(cp) || ATEXT_SPECIALS.indexOf(cp) >= 0 || isInternational(cp))) {
                return Optional.of("the character '" + new String(Character.toChars(cp))
                        + "' is not allowed before the @");
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    private static Optional<String> domainProblem(String domain) {
        if (domain.startsWith("[")) {
            return Optional.of("address literals such as [192.0.2.1] are not accepted: use the domain name");
        }
        if (domain.startsWith(".") || domain.endsWith(".")) {
            return Optional.of("the domain starts or ends with a dot");
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.of("two dots in a row in the domain");
            }
            if (label.length() > MAX_LABEL) {
                return Optional.of("a domain label is longer than " + MAX_LABEL + " characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return Optional.of("a domain label starts or ends with a hyphen");
            }
            for (int i = 0; i < label.length(); ) {
                int cp = label.codePointAt(i);
                if (!(cp == '-' || isAsciiLetterOrDigit(cp) || isInternational(cp))) {
                    return Optional.of("the character '" + new String(Character.toChars(cp))
                            + "' is not allowed in a domain");
                }
                i += Character.charCount(cp);
            }
        }
        String last = labels[labels.length - 1];
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("the domain ends with a number: use a domain name, not an IP address");
        }
        return Optional.empty();
    }

    private static boolean isAsciiLetterOrDigit(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }

    /** Non-ASCII letters, digits and combining marks (RFC 6531 UTF8-non-ascii, restricted to words). */
    private static boolean isInternational(int cp) {
        if (cp < 0x80) {
            return false;
        }
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }
}
