package io.mailferry.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 */
record SyncSettings(int listPageSize, int chunkMaxMessages, long chunkMaxBytes, long memoryThreshold,
                    Path spoolDirectory, List<Duration> retryDelays) {

    static SyncSettings fromSystemProperties() {
        List<Duration> delays = java.util.Arrays.stream(
                        System.getProperty("mailferry.retryDelaysMs", "1000,5000,15000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Duration.ofMillis(Long.parseLong(s))).toList();
        return new SyncSettings(
                Integer.getInteger("mailferry.listPageSize", 2000),
                Integer.getInteger("mailferry.chunkMaxMessages", 100),
                Long.getLong("mailferry.chunkMaxBytes", 8L << 20),
                Long.getLong("mailferry.memoryThreshold", 1L << 20),
                Path.of(System.getProperty("mailferry.spoolDir", System.getProperty("java.io.tmpdir"))),
                delays);
    }
}
