package io.mailferry.ews;

import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import io.mailferry.ews.fake.FakeItem;
import io.mailferry.ews.fake.FakeMailbox;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 50 MiB message through the connector (Exchange → Exchange, GetItem then CreateItem, through
 * {@link io.mailferry.core.MigrationService}) in a separate JVM with a fixed heap of 640 MiB, and a
 * 60 MiB message that does not fit the connector's memory budget reported as a large item instead
 * of running the JVM out of memory.
 */
class EwsLargeItemIT {

    private static final String HEAP = "-Xmx640m";
    /** The budget the child uses: 50 MiB × 7 fits, 60 MiB × 7 does not. */
    private static final long BUDGET = 400_000_000L;

    @Test
    void aFiftyMegabyteMessageMovesInsideAFixedHeapAndALargerOneIsALargeItem() throws Exception {
        FakeExchange exchange = new FakeExchange().serviceAccount(EwsMailboxFixture.ADMIN,
                EwsMailboxFixture.ADMIN_PASSWORD);
        FakeMailbox from = exchange.mailbox("big@contoso.test");
        FakeMailbox to = exchange.mailbox("big-target@contoso.test");
        byte[] fifty = TestMessages.ofSize("Fifty megabytes", 50 * 1024 * 1024);
        byte[] sixty = TestMessages.ofSize("Sixty megabytes", 60 * 1024 * 1024);
        FakeItem big = from.deliver(from.distinguished("inbox"), fifty, true, Instant.parse("2024-05-05T05:05:05Z"));
        from.deliver(from.distinguished("inbox"), sixty, false, Instant.parse("2024-05-06T05:05:05Z"));
        String sha = TestMessages.sha256(fifty);
        sixty = null;
        fifty = null;

        try (FakeEwsServer server = FakeEwsServer.start(exchange)) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-cp", System.getProperty("java.class.path"), LargeItemChild.class.getName(),
                    server.ewsUrl().toString(), EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD,
                    from.address(), to.address(), Long.toString(BUDGET)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();

            Map<String, List<String>> results = new LinkedHashMap<>();
            out.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> {
                int eq = l.indexOf('=');
                results.computeIfAbsent(l.substring(7, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
            });
            System.out.println("EwsLargeItemIT: " + results);
            assertThat(results.get("status")).as(out).containsExactly("Synced");
            assertThat(results.get("synced")).containsExactly("1");
            assertThat(results.get("skipped")).singleElement().satisfies(s -> assertThat(s)
                    .startsWith("LARGE_ITEM").contains("memory").contains("ews.memory.maxBytesInFlight"));
            assertThat(Long.parseLong(results.get("maxHeap").get(0))).isLessThanOrEqualTo(640L * 1024 * 1024);

            List<FakeItem> copied = to.items(to.distinguished("inbox"));
            assertThat(copied).singleElement().satisfies(i -> {
                assertThat(TestMessages.sha256(i.mime())).isEqualTo(sha);
                assertThat(i.read()).isTrue();
                assertThat(i.received()).isEqualTo(big.received());
            });
        }
    }
}
