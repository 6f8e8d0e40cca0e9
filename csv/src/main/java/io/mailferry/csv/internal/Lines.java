package io.mailferry.csv.internal;

/** Counting line breaks as text editors and commons-csv do: CR, LF and CRLF each end one line. */
final class Lines {

    private Lines() {
    }

    /**
     * Counts the line breaks in some text.
     *
     * @param text the text
     * @return the number of line breaks
     */
    static long count(CharSequence text) {
        long lines = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines++;
            } else if (c == '\r') {
                lines++;
                if (i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
            }
        }
        return lines;
    }
}
