package io.mailferry.core;

import io.mailferry.core.spi.ConnectorProvider;
import io.mailferry.core.spi.Connectors;
import io.mailferry.core.spi.MailboxAccess;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SessionObserver;
import io.mailferry.core.spi.SourceMailbox;
import io.mailferry.core.spi.TargetMailbox;
import io.mailferry.core.spi.contract.TestMessages;
import io.mailferry.core.store.InMemoryMigrationStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.mailferry.core.MigrationWorld.awaitSettled;
import static io.mailferry.core.MigrationWorld.email;
import static io.mailferry.core.MigrationWorld.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's side of two connector signals: {@link SessionObserver} (a connector waiting out a
 * server's throttling inside a call shows as the user's stage "stalled: source throttled", with a
 * status detail, and the wait counts as {@code TotalStalledDuration}) and
 * {@link MessageSink#tooLarge} (a large item that counts against {@code LargeItemLimit}, not
 * {@code BadItemLimit}). The in-memory source is wrapped to send both signals; time is a
 * {@link ManualScheduler}'s clock, moved by the "wait".
 */
class ConnectorStallAndLargeItemTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration BACK_OFF = Duration.ofSeconds(30);
    private static final int TOO_LARGE = 6000;

    @TempDir
    Path spool;

    private MigrationWorld world;

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    /** What the source wrapper saw of the user while it "waited". */
    private record Seen(SyncStage stage, String statusDetail, Duration stalledSoFar) {
    }

    /**
     * The in-memory connector, with sources that stall once in {@code listFolders} (telling the
     * observer, moving the clock by the back-off, recording the user as the service shows it) and
     * report messages of {@value #TOO_LARGE} bytes or more as too large instead of delivering them.
     */
    private final class SignallingProvider implements ConnectorProvider {
        final AtomicReference<MigrationBatch> batch = new AtomicReference<>();
        final List<Seen> seenWhileStalled = new CopyOnWriteArrayList<>();
        final List<Seen> seenAfterResume = new CopyOnWriteArrayList<>();

        @Override
        public EndpointType type() {
            return world.memory.type();
        }

        @Override
        public SourceMailbox openSource(MigrationEndpoint endpoint, MailboxAccess access) {
            SourceMailbox real = world.memory.openSource(endpoint, access);
            AtomicReference<SessionObserver> observer = new AtomicReference<>(SessionObserver.NONE);
            return (SourceMailbox) Proxy.newProxyInstance(SourceMailbox.class.getClassLoader(),
                    new Class<?>[] {SourceMailbox.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "observe" -> {
                                observer.set((SessionObserver) args[0]);
                                return null;
                            }
                            case "listFolders" -> {
                                observer.get().stalled("ErrorServerBusy: back off " + BACK_OFF.toMillis() + " ms",
                                        BACK_OFF);
                                seenWhileStalled.add(seen());
                                world.time.advance(BACK_OFF);
                                observer.get().resumed(BACK_OFF);
                                seenAfterResume.add(seen());
                            }
                            case "fetchMessages" -> {
                                fetchSkippingLarge(real, (String) args[0], castList(args[1]), (MessageSink) args[2]);
                                return null;
                            }
                            default -> {
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private Seen seen() {
            MigrationUser u = batch.get().users().get(0);
            return new Seen(u.stage(), u.statusDetail(), u.statistics().totalStalledDuration());
        }

        @Override
        public TargetMailbox openTarget(MigrationEndpoint endpoint, MailboxAccess access) {
            return world.memory.openTarget(endpoint, access);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<MessageInfo> castList(Object o) {
        return (List<MessageInfo>) o;
    }

    private static void fetchSkippingLarge(SourceMailbox real, String folder, List<MessageInfo> messages,
                                           MessageSink sink) {
        List<MessageInfo> small = new ArrayList<>();
        for (MessageInfo m : messages) {
            if (m.size() >= TOO_LARGE) {
                sink.tooLarge(m, "Message of " + m.size() + " bytes does not fit the connector's memory");
            } else {
                small.add(m);
            }
        }
        real.fetchMessages(folder, small, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                sink.accept(message, content);
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                sink.failed(message, reason);
            }
        });
    }

    private MigrationService service(SignallingProvider provider, List<MigrationEvent.UserProgress> progress) {
        return MigrationService.builder()
                .store(new InMemoryMigrationStore())
                .connectors(Connectors.of(List.of(provider)))
                .engineSetting("mailferry.retryDelaysMs", "1,1,1")
                .engineSetting("mailferry.spoolDir", spool.toString())
                .clock(world.time.clock()).scheduler(world.time)
                .listener(new MigrationListener() {
                    @Override
                    public void onUserProgress(MigrationEvent.UserProgress event) {
                        progress.add(event);
                    }
                })
                .build();
    }

    @Test
    void aThrottlingWaitShowsAsStalledSourceThrottledAndCountsAsStalledTime() throws Exception {
        world = new MigrationWorld(spool, new InMemoryMigrationStore(), new ManualScheduler(T0));
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 3);
        SignallingProvider provider = new SignallingProvider();
        List<MigrationEvent.UserProgress> progress = new CopyOnWriteArrayList<>();
        try (MigrationService service = service(provider, progress)) {
            MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                    .targetEndpoint(world.targetEndpoint()).users(List.of(alice)).create();
            provider.batch.set(batch);

            batch.start();
            awaitSettled(batch);

            assertThat(batch.status()).isEqualTo(BatchStatus.SYNCED);
            assertThat(provider.seenWhileStalled).singleElement().satisfies(s -> {
                assertThat(s.stage()).isEqualTo(SyncStage.STALLED_SOURCE_THROTTLED);
                assertThat(s.statusDetail()).contains("source throttled").contains("ErrorServerBusy")
                        .contains("30000 ms");
            });
            assertThat(provider.seenAfterResume).singleElement().satisfies(s -> {
                assertThat(s.stage()).as("the stage before the wait comes back").isEqualTo(SyncStage.ENUMERATING_FOLDERS);
                assertThat(s.statusDetail()).isNull();
                assertThat(s.stalledSoFar()).isEqualTo(BACK_OFF);
            });
            assertThat(progress).anySatisfy(e -> assertThat(e.user().stage())
                    .isEqualTo(SyncStage.STALLED_SOURCE_THROTTLED));
            MigrationUser done = user(batch, "alice");
            assertThat(done.statistics().totalStalledDuration()).isEqualTo(BACK_OFF);
            assertThat(done.statistics().syncedItemCount()).isEqualTo(3);
            assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(3);
        }
    }

    @Test
    void aMessageTheConnectorCallsTooLargeIsALargeItemNotABadOne() throws Exception {
        world = new MigrationWorld(spool, new InMemoryMigrationStore(), new ManualScheduler(T0));
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 2);
        long bigUid = world.source.append("alice", "INBOX", TestMessages.ofSize("Too big", TOO_LARGE + 100),
                MessageFlags.NONE, null);
        SignallingProvider provider = new SignallingProvider();
        try (MigrationService service = service(provider, new CopyOnWriteArrayList<>())) {
            MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                    .targetEndpoint(world.targetEndpoint()).users(List.of(alice))
                    .badItemLimit(ItemLimit.ZERO).largeItemLimit(ItemLimit.of(1)).create();
            provider.batch.set(batch);

            batch.start();
            awaitSettled(batch);

            assertThat(user(batch, "alice").status()).as("%s", batch.users()).isEqualTo(MigrationUserStatus.SYNCED);
            assertThat(batch.skippedItems(email("alice"))).singleElement().satisfies(item -> {
                assertThat(item.kind()).isEqualTo(SkippedItemKind.LARGE_ITEM);
                assertThat(item.sourceUid()).isEqualTo(bigUid);
                assertThat(item.reason()).contains("does not fit the connector's memory");
            });
            assertThat(world.target.messages(email("alice"), "INBOX")).hasSize(2);
        }
    }

    @Test
    void tooLargeMessagesOverLargeItemLimitFailTheUser() throws Exception {
        world = new MigrationWorld(spool, new InMemoryMigrationStore(), new ManualScheduler(T0));
        MigrationUserEntry alice = world.user("alice");
        world.seedInbox("alice", 1);
        world.source.append("alice", "INBOX", TestMessages.ofSize("Too big", TOO_LARGE + 100), MessageFlags.NONE, null);
        SignallingProvider provider = new SignallingProvider();
        try (MigrationService service = service(provider, new CopyOnWriteArrayList<>())) {
            MigrationBatch batch = service.newBatch("wave-1").sourceEndpoint(world.sourceEndpoint())
                    .targetEndpoint(world.targetEndpoint()).users(List.of(alice))
                    .badItemLimit(ItemLimit.UNLIMITED).largeItemLimit(ItemLimit.ZERO).create();
            provider.batch.set(batch);

            batch.start();
            awaitSettled(batch);

            assertThat(user(batch, "alice").status()).isEqualTo(MigrationUserStatus.FAILED);
            assertThat(user(batch, "alice").error()).contains("LargeItemLimit");
        }
    }
}
