package io.mailferry.core.engine;

import io.mailferry.core.spi.MessageContent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the Subject of a message for skipped-item reports, without a MIME parser: the first 64 KB
 * of the header, unfolded, as ISO-8859-1 text (encoded words are left as they are).
 */
final class HeaderPeek {
    private static final int LIMIT = 64 * 1024;

    private HeaderPeek() {
    }

    static String subject(MessageContent content) {
        try (InputStream in = content.openStream()) {
            byte[] head = in.readNBytes(LIMIT);
            return subject(new String(head, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String subject(String text) {
        String[] lines = text.split("\r?\n|\r", -1);
        StringBuilder value = null;
        for (String line : lines) {
            if (line.isEmpty()) {
                break;
            }
            if (value != null) {
                if (line.startsWith(" ") || line.startsWith("\t")) {
                    value.append(' ').append(line.trim());
                    continue;
                }
                break;
            }
            if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
                value = new StringBuilder(line.substring(8).trim());
            }
        }
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.length() > 255 ? s.substring(0, 255) : s;
    }
}
