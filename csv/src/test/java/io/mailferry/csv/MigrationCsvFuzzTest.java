package io.mailferry.csv;

import io.mailferry.csv.internal.SmtpAddressCheck;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded fuzzing of the reader: every input must end in a {@link MigrationCsv} or a
 * {@link CsvValidationException}, never another exception and never a hang. The seed and the number
 * of inputs can be changed with the system properties {@code mailferry.fuzz.seed} and
 * {@code mailferry.fuzz.inputs}; a failure names the seed and the input's index.
 */
class MigrationCsvFuzzTest {

    private static final long SEED = Long.getLong("mailferry.fuzz.seed", 0x4D61_696C_4665_7272L);
    private static final int INPUTS = Integer.getInteger("mailferry.fuzz.inputs", 6_000);
    /** Generous: the largest inputs take well under a second, but the build machine may be busy. */
    private static final long TIMEOUT_SECONDS = 30;

    private static final CsvSchema[] SCHEMAS = {CsvSchema.IMAP, CsvSchema.STAGED, CsvSchema.REMOTE,
            CsvSchema.OFFBOARDING, CsvSchema.GOOGLE_WORKSPACE, CsvSchema.IMAP.withMaxRows(3)};
    private static final byte[][] BOMS = {{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xFF, (byte) 0xFE},
            {(byte) 0xFE, (byte) 0xFF}, {0, 0, (byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE, 0, 0}};
    private static final String SPECIALS = ",\"\r\n;\t| '=@+-\\\u00e9\u20ac\uFEFF\u200B\0";

    private static ExecutorService executor;

    @TempDir
    Path dir;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "csv-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    /** One generated input and how to feed it. */
    private record Input(String kind, byte[] bytes, MigrationCsvReader reader, int via, List<String> passwords) {
    }

    @Test
    void everyInputEndsInAResultOrAValidationException() throws Exception {
        Random random = new Random(SEED);
        Map<CsvProblem, Integer> problems = new EnumMap<>(CsvProblem.class);
        Map<String, Integer> kinds = new TreeMap<>();
        int results = 0;
        int rejectedRows = 0;
        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            Input input = generate(random, i);
            kinds.merge(input.kind(), 1, Integer::sum);
            Object outcome = run(input, i);
            if (outcome instanceof MigrationCsv csv) {
                results++;
                rejectedRows += csv.rejectedRows().size();
                checkResult(csv, input);
            } else {
                CsvValidationException e = (CsvValidationException) outcome;
                problems.merge(e.problem(), 1, Integer::sum);
                checkException(e, input, i);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int exceptions = problems.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("CSV fuzz: %d inputs (seed %d) in %d ms: %d results (%d rejected rows), "
                + "%d validation exceptions %s; inputs by kind %s%n", INPUTS, SEED, millis, results, rejectedRows,
                exceptions, problems, kinds);

        assertThat(results + exceptions).isEqualTo(INPUTS);
        assertThat(INPUTS).isGreaterThanOrEqualTo(1_000);
        // The generators reach both outcomes and most kinds of file-level problems.
        assertThat(results).isPositive();
        assertThat(problems.keySet()).hasSizeGreaterThanOrEqualTo(10);
    }

    private Object run(Input input, int index) throws Exception {
        Future<Object> future = executor.submit(() -> {
            try {
                return switch (input.via()) {
                    case 0 -> input.reader().read(new ByteArrayInputStream(input.bytes()));
                    case 1 -> input.reader().read(new StringReader(new String(input.bytes(), StandardCharsets.UTF_8)));
                    default -> input.reader().read(Files.write(dir.resolve("in" + index + ".csv"), input.bytes()));
                };
            } catch (CsvValidationException e) {
                return e;
            }
        });
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return fail("input %d (%s, seed %d) did not finish within %d s: %s", index, input.kind(), SEED,
                    TIMEOUT_SECONDS, describe(input));
        } catch (ExecutionException e) {
            throw new AssertionError("input " + index + " (" + input.kind() + ", seed " + SEED + ") threw "
                    + e.getCause() + ": " + describe(input), e.getCause());
        }
    }

    private static String describe(Input input) {
        byte[] b = input.bytes();
        int n = Math.min(b.length, 200);
        return b.length + " bytes, starting " + HexFormat.of().formatHex(b, 0, n);
    }

    private static void checkResult(MigrationCsv csv, Input input) {
        int total = csv.rows().size() + csv.rejectedRows().size();
        assertThat(total).isBetween(1, input.reader().schema().maxRows());
        assertThat(csv.header()).isNotEmpty();
        for (MigrationCsvRow row : csv.rows()) {
            assertThat(row.line()).isGreaterThanOrEqualTo(2);
            assertThat(SmtpAddressCheck.problem(row.emailAddress())).isEmpty();
        }
        for (RejectedRow row : csv.rejectedRows()) {
            assertThat(row.line()).isGreaterThanOrEqualTo(2);
            assertThat(row.reason()).isNotBlank();
            for (String password : input.passwords()) {
                assertThat(row.reason()).doesNotContain(password);
            }
        }
    }

    private static void checkException(CsvValidationException e, Input input, int index) {
        assertThat(e.getMessage()).as("input %d", index).isNotBlank();
        assertThat(e.line()).isNotNegative();
        if (e.line() > 0) {
            assertThat(e.getMessage()).startsWith("line " + e.line());
        }
        boolean echoesHeaderNames = e.problem() == CsvProblem.INVALID_COLUMN_NAME
                || e.problem() == CsvProblem.UNKNOWN_COLUMN || e.problem() == CsvProblem.DUPLICATE_COLUMN;
        if (!echoesHeaderNames) {
            for (String password : input.passwords()) {
                assertThat(e.getMessage()).as("input %d", index).doesNotContain(password);
            }
        }
    }

    // ---------------------------------------------------------------- generators

    private Input generate(Random random, int index) {
        CsvSchema schema = SCHEMAS[random.nextInt(SCHEMAS.length)];
        MigrationCsvReader reader = MigrationCsvReader.of(schema).withAllowUnknownColumns(random.nextInt(4) == 0);
        if (random.nextInt(20) == 0) {
            reader = reader.withMaxFileSize(1 + random.nextInt(4096));
        }
        int via = random.nextInt(40) == 0 ? 2 : random.nextInt(5) == 0 ? 1 : 0;
        List<String> passwords = new ArrayList<>();
        int kind = random.nextInt(9);
        byte[] bytes;
        String name;
        switch (kind) {
            case 0 -> {
                name = "random bytes";
                bytes = new byte[random.nextInt(2048)];
                random.nextBytes(bytes);
            }
            case 1 -> {
                name = "mutated CSV";
                bytes = mutate(random, validCsv(random, schema, passwords)).getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                name = "truncated quotes";
                String csv = quoteEverything(validCsv(random, schema, passwords));
                bytes = csv.substring(0, random.nextInt(csv.length() + 1)).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                name = "huge field";
                bytes = hugeField(random, schema, passwords).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                name = "mixed encodings";
                bytes = mixedEncodings(random, validCsv(random, schema, passwords));
            }
            case 5 -> {
                name = "random separators";
                String csv = validCsv(random, schema, passwords);
                char separator = ";\t|: ,\u00a7".charAt(random.nextInt(7));
                bytes = csv.replace(',', separator).getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                name = "BOM soup";
                bytes = bomSoup(random, validCsv(random, schema, passwords));
            }
            case 7 -> {
                name = "special character storm";
                StringBuilder sb = new StringBuilder(random.nextBoolean() ? String.join(",", schema.requiredColumns()) + "\n" : "");
                int n = random.nextInt(600);
                for (int i = 0; i < n; i++) {
                    sb.append(random.nextInt(3) == 0 ? (char) ('a' + random.nextInt(26))
                            : SPECIALS.charAt(random.nextInt(SPECIALS.length())));
                }
                bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                name = "valid CSV";
                String csv = validCsv(random, schema, passwords);
                Charset charset = random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.UTF_16LE;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(charset == StandardCharsets.UTF_8 ? BOMS[0] : BOMS[1]);
                out.writeBytes(csv.getBytes(charset));
                bytes = out.toByteArray();
            }
        }
        // Mutations can move a password into a column whose value messages quote (a shifted row);
        // secrecy is asserted where the file's structure is intact.
        boolean intact = name.equals("valid CSV") || name.equals("random separators");
        return new Input(name, bytes, reader, via, intact ? passwords : List.of());
    }

    private static String validCsv(Random random, CsvSchema schema, List<String> passwords) {
        List<String> columns = new ArrayList<>(schema.requiredColumns());
        for (String optional : schema.optionalColumns()) {
            if (random.nextBoolean()) {
                columns.add(optional);
            }
        }
        String eol = random.nextBoolean() ? "\r\n" : "\n";
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append(eol);
        int rows = random.nextInt(8);
        for (int r = 0; r < rows; r++) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(cell(random, column, passwords));
            }
            sb.append(String.join(",", cells)).append(eol);
        }
        if (random.nextBoolean()) {
            sb.append(eol.repeat(random.nextInt(3)));
        }
        return sb.toString();
    }

    private static String cell(Random random, String column, List<String> passwords) {
        switch (column) {
            case CsvSchema.EMAIL_ADDRESS:
                return random.nextInt(10) == 0 ? "" : "user" + random.nextInt(20) + "@contoso" + random.nextInt(3) + ".com";
            case CsvSchema.PASSWORD:
            case CsvSchema.TARGET_PASSWORD:
                String password = "Pw" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "Zz";
                passwords.add(password);
                return random.nextBoolean() ? password : "\"" + password + ",\"\"x\"\"\"";
            case CsvSchema.BAD_ITEM_LIMIT:
            case CsvSchema.LARGE_ITEM_LIMIT:
                return List.of("", "0", "10", "Unlimited", "-1", "x").get(random.nextInt(6));
            default:
                return random.nextInt(5) == 0 ? "" : "v" + random.nextInt(1000);
        }
    }

    private static String mutate(Random random, String csv) {
        StringBuilder sb = new StringBuilder(csv);
        int mutations = 1 + random.nextInt(6);
        for (int m = 0; m < mutations && sb.length() > 0; m++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(5)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, SPECIALS.charAt(random.nextInt(SPECIALS.length())));
                case 2 -> sb.insert(at, '"');
                case 3 -> sb.setLength(at);
                default -> {
                    int end = Math.min(sb.length(), at + random.nextInt(40));
                    sb.insert(random.nextInt(sb.length()), sb.substring(at, end));
                }
            }
        }
        return sb.toString();
    }

    private static String quoteEverything(String csv) {
        StringBuilder sb = new StringBuilder();
        for (String line : csv.split("\n", -1)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            if (!line.isEmpty()) {
                sb.append('"').append(line.replace("\"", "\"\"").replace(",", "\",\"")).append('"');
            }
        }
        return sb.toString();
    }

    private static String hugeField(Random random, CsvSchema schema, List<String> passwords) {
        String csv = validCsv(random, schema, passwords);
        int size = random.nextInt(40) == 0 ? 500_000 + random.nextInt(500_000) : 2_000 + random.nextInt(40_000);
        char fill = "a,\"\n x@".charAt(random.nextInt(7));
        String field = String.valueOf(fill).repeat(size);
        String wrapped = switch (random.nextInt(3)) {
            case 0 -> field;
            case 1 -> "\"" + field.replace("\"", "\"\"") + "\"";
            default -> "\"" + field;
        };
        int at = csv.indexOf('\n') + 1 + random.nextInt(Math.max(1, csv.length() - csv.indexOf('\n')));
        at = Math.min(at, csv.length());
        return csv.substring(0, at) + wrapped + csv.substring(at);
    }

    private static byte[] mixedEncodings(Random random, String csv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Charset[] charsets = {StandardCharsets.UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"), StandardCharsets.UTF_8};
        if (random.nextBoolean()) {
            out.writeBytes(BOMS[random.nextInt(BOMS.length)]);
        }
        int i = 0;
        while (i < csv.length()) {
            int end = Math.min(csv.length(), i + 1 + random.nextInt(30));
            String piece = csv.substring(i, end) + (random.nextInt(4) == 0 ? "é€ü漢" : "");
            out.writeBytes(piece.getBytes(charsets[random.nextInt(charsets.length)]));
            i = end;
        }
        return out.toByteArray();
    }

    private static byte[] bomSoup(Random random, String csv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + random.nextInt(6);
        int i = 0;
        for (int p = 0; p < parts; p++) {
            for (int b = random.nextInt(4); b > 0; b--) {
                out.writeBytes(BOMS[random.nextInt(BOMS.length)]);
            }
            int end = p == parts - 1 ? csv.length() : Math.min(csv.length(), i + random.nextInt(csv.length() + 1));
            out.writeBytes(csv.substring(i, end).getBytes(StandardCharsets.UTF_8));
            i = end;
        }
        return out.toByteArray();
    }
}
