package io.mailferry.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Engine tunables. Defaults suit most servers; each can be overridden with a system property
 * (named in the component's description) for benchmarking and tests.
 *
 * @param listPageSize        messages listed per request ({@code mailferry.listPageSize}, 2000)
 * @param chunkMaxMessages    messages fetched and appended per chunk, one checkpoint per chunk
 *                            ({@code mailferry.chunkMaxMessages}, 100)
 * @param chunkMaxBytes       bytes per chunk ({@code mailferry.chunkMaxBytes}, 8 MiB)
 * @param memoryThreshold     messages up to this size are buffered in memory, larger ones in a
 *                            temporary file ({@code mailferry.memoryThreshold}, 1 MiB)
 * @param spoolDirectory      where large messages are buffered ({@code mailferry.spoolDir},
 *                            {@code java.io.tmpdir})
 * @param retryDelays         waits before reconnecting after a transient failure
 *                            ({@code mailferry.retryDelaysMs}, "1000,5000,15000")
 * @param pipeline            whether the next chunk is read from the source while the current one
 *                            is appended to the target ({@code mailferry.pipeline}, true)
 */
record SyncSettings(int listPageSize, int chunkMaxMessages, long chunkMaxBytes, long memoryThreshold,
                    Path spoolDirectory, List<Duration> retryDelays, boolean pipeline) {

    static SyncSettings fromSystemProperties() {
        return from(Map.of());
    }

    /**
     * Reads the settings from {@code overrides} first, then from system properties, then the
     * defaults.
     *
     * @param overrides settings by system property name, e.g. {@code mailferry.retryDelaysMs}
     * @return the settings
     * @throws IllegalArgumentException if a value is not a number
     */
    static SyncSettings from(Map<String, String> overrides) {
        Function<String, String> get = key -> overrides.containsKey(key) ? overrides.get(key) : System.getProperty(key);
        List<Duration> delays = Arrays.stream(value(get, "mailferry.retryDelaysMs", "1000,5000,15000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Duration.ofMillis(Long.parseLong(s))).toList();
        return new SyncSettings(
                Integer.parseInt(value(get, "mailferry.listPageSize", "2000")),
                Integer.parseInt(value(get, "mailferry.chunkMaxMessages", "100")),
                Long.parseLong(value(get, "mailferry.chunkMaxBytes", String.valueOf(8L << 20))),
                Long.parseLong(value(get, "mailferry.memoryThreshold", String.valueOf(1L << 20))),
                Path.of(value(get, "mailferry.spoolDir", System.getProperty("java.io.tmpdir"))),
                delays,
                Boolean.parseBoolean(value(get, "mailferry.pipeline", "true")));
    }

    private static String value(Function<String, String> get, String key, String defaultValue) {
        String v = get.apply(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }
}
