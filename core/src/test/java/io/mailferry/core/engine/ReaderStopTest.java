package io.mailferry.core.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the pass thread waits for a folder's source reader to end ({@link FolderSync#awaitReaderEnd}):
 * on the thread itself, not in timed polls of the hand-over queue (each of which cost up to 100 ms
 * per folder copied when the reader was still ending after handing over its end), closing whatever
 * the reader still offers.
 */
class ReaderStopTest {

    /** A hand-over queue that counts the timed polls made of it. */
    static final class CountingQueue<T> extends SynchronousQueue<T> {
        private static final long serialVersionUID = 1L;
        final AtomicInteger timedPolls = new AtomicInteger();

        @Override
        public T poll(long timeout, TimeUnit unit) throws InterruptedException {
            timedPolls.incrementAndGet();
            return super.poll(timeout, unit);
        }
    }

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void aReaderEndingAfterItsEndIsAwaitedOnTheThreadNotByPollingTheQueue() throws Exception {
        CountingQueue<String> queue = new CountingQueue<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = new Thread(() -> awaitQuietly(release), "reader");
        reader.start();
        List<String> closed = new CopyOnWriteArrayList<>();

        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(
                () -> FolderSync.awaitReaderEnd(reader, queue, closed::add, MINUTE));
        release.countDown();

        assertThat(ended.get(1, TimeUnit.MINUTES)).isTrue();
        assertThat(reader.isAlive()).isFalse();
        assertThat(queue.timedPolls.get()).as("timed polls of the hand-over queue").isZero();
        assertThat(closed).isEmpty();
    }

    @Test
    void anAlreadyEndedReaderCostsNothing() throws Exception {
        CountingQueue<String> queue = new CountingQueue<>();
        Thread reader = new Thread(() -> { }, "reader");
        reader.start();
        reader.join();

        assertThat(FolderSync.awaitReaderEnd(reader, queue, s -> { }, MINUTE)).isTrue();
        assertThat(queue.timedPolls.get()).isZero();
    }

    @Test
    void whatTheReaderStillOffersIsTakenAndClosedSoThatItCanEnd() throws Exception {
        CountingQueue<String> queue = new CountingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                queue.put("chunk 1"); // blocks until taken, as the reader's hand-over does
                queue.put("chunk 2");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reader");
        reader.start();
        List<String> closed = new CopyOnWriteArrayList<>();

        assertThat(FolderSync.awaitReaderEnd(reader, queue, closed::add, MINUTE)).isTrue();
        assertThat(closed).containsExactly("chunk 1", "chunk 2");
        assertThat(reader.isAlive()).isFalse();
    }

    @Test
    void aReaderThatDoesNotEndIsLeftAfterTheTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = new Thread(() -> awaitQuietly(release), "reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(FolderSync.awaitReaderEnd(reader, new SynchronousQueue<String>(), s -> { },
                    TimeUnit.MILLISECONDS.toNanos(30))).isFalse();
            assertThat(reader.isAlive()).isTrue();
        } finally {
            release.countDown();
            reader.join();
        }
    }

    @Test
    void theCallersInterruptStatusIsKept() throws Exception {
        Thread reader = new Thread(() -> { }, "reader");
        reader.start();
        reader.join();
        Thread.currentThread().interrupt();
        try {
            assertThat(FolderSync.awaitReaderEnd(reader, new SynchronousQueue<String>(), s -> { }, MINUTE)).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
