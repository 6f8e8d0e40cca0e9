package io.mailferry.csv.internal;

import io.mailferry.csv.CsvProblem;
import io.mailferry.csv.CsvValidationException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a migration CSV into text: detects the byte order mark, decodes strictly and
 * rejects what is not a Unicode text file, with messages that say how to save the file instead.
 */
public final class CsvText {

    /** What Excel calls the format the migration service wants. */
    public static final String SAVE_AS_CSV_UTF8 = "in Excel use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'";

    private CsvText() {
    }

    /**
     * The text of a file and how it was encoded.
     *
     * @param text    the characters after the byte order mark
     * @param charset the encoding found
     */
    public record Decoded(String text, Charset charset) {
        /** Returns {@code true} for UTF-16 (Excel's "Unicode Text"). */
        public boolean isUtf16() {
            return charset.equals(StandardCharsets.UTF_16LE) || charset.equals(StandardCharsets.UTF_16BE);
        }
    }

    /**
     * Decodes a file's bytes: UTF-8 with or without BOM, UTF-16 LE or BE with BOM.
     *
     * @param bytes  the file's bytes
     * @param length how many of them to use
     * @return the text
     * @throws CsvValidationException if the file is empty, not a text file, or not in one of those
     *                                encodings
     */
    public static Decoded decode(byte[] bytes, int length) {
        if (length == 0) {
            throw emptyFile();
        }
        if (startsWith(bytes, length, 0xFF, 0xFE, 0x00, 0x00) || startsWith(bytes, length, 0x00, 0x00, 0xFE, 0xFF)) {
            throw new CsvValidationException(CsvProblem.UNSUPPORTED_ENCODING, 1, null,
                    "the file is UTF-32, which is not supported: save it as UTF-8; " + SAVE_AS_CSV_UTF8);
        }
        if (startsWith(bytes, length, 'P', 'K', 0x03, 0x04)) {
            throw new CsvValidationException(CsvProblem.UNSUPPORTED_FILE_TYPE, 0, null,
                    "this is a ZIP archive such as an Excel workbook (.xlsx), not a CSV text file: " + SAVE_AS_CSV_UTF8);
        }
        if (startsWith(bytes, length, 0xD0, 0xCF, 0x11, 0xE0)) {
            throw new CsvValidationException(CsvProblem.UNSUPPORTED_FILE_TYPE, 0, null,
                    "this is an Excel 97-2003 workbook (.xls), not a CSV text file: " + SAVE_AS_CSV_UTF8);
        }
        Charset charset;
        int offset;
        if (startsWith(bytes, length, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            offset = 3;
        } else if (startsWith(bytes, length, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            offset = 2;
        } else if (startsWith(bytes, length, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            offset = 2;
        } else {
            charset = StandardCharsets.UTF_8;
            offset = 0;
            for (int i = 0; i < length; i++) {
                if (bytes[i] == 0) {
                    // Before decoding: UTF-16 without BOM is not valid UTF-8 either, and this says why.
                    String before = new String(bytes, 0, i, StandardCharsets.ISO_8859_1);
                    throw nul(Lines.count(before) + 1);
                }
            }
        }
        String text = decodeStrictly(bytes, offset, length - offset, charset);
        checkNoNul(text);
        return new Decoded(text, charset);
    }

    /**
     * Prepares text that was read as characters: drops one leading byte order mark and rejects NUL
     * characters.
     *
     * @param chars the characters
     * @return the text
     * @throws CsvValidationException if the text is empty or contains NUL characters
     */
    public static Decoded fromChars(CharSequence chars) {
        String text = chars.toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            throw emptyFile();
        }
        checkNoNul(text);
        return new Decoded(text, StandardCharsets.UTF_8);
    }

    /**
     * Returns the error for a file without content.
     *
     * @return the exception to throw
     */
    public static CsvValidationException emptyFile() {
        return new CsvValidationException(CsvProblem.EMPTY_FILE, 1, null,
                "the file is empty: its first line must be the header (e.g. EmailAddress,UserName,Password), "
                        + "followed by one line per user");
    }

    private static String decodeStrictly(byte[] bytes, int offset, int length, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L, (long) length + 16));
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            out.flip();
            long line = Lines.count(out) + 1;
            String fix = charset.equals(StandardCharsets.UTF_8)
                    ? "the file is probably saved in a legacy code page such as Windows-1252 (Excel's plain "
                            + "'CSV (Comma delimited)'); save it as UTF-8: " + SAVE_AS_CSV_UTF8
                    : "the file starts with a UTF-16 byte order mark but is not valid UTF-16; save it as UTF-8: "
                            + SAVE_AS_CSV_UTF8;
            throw new CsvValidationException(CsvProblem.UNSUPPORTED_ENCODING, line, null,
                    "the line is not valid " + (charset.equals(StandardCharsets.UTF_8) ? "UTF-8" : "UTF-16") + ": " + fix);
        }
        out.flip();
        return out.toString();
    }

    private static void checkNoNul(String text) {
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw nul(Lines.count(text.subSequence(0, nul)) + 1);
        }
    }

    private static CsvValidationException nul(long line) {
        return new CsvValidationException(CsvProblem.UNSUPPORTED_ENCODING, line, null,
                "the line contains NUL characters: the file is probably UTF-16 without a byte order mark or not a "
                        + "text file; save it as UTF-8: " + SAVE_AS_CSV_UTF8);
    }

    private static boolean startsWith(byte[] bytes, int length, int... prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
