package io.mailferry.core.spi.contract;

import io.mailferry.core.spi.AppendRequest;
import io.mailferry.core.spi.AppendResult;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FlagUpdate;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.MessageContent;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.TargetMailbox;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every {@link TargetMailbox} must do (see its javadoc and {@code MailboxSession}'s). Subclass
 * it and implement {@link #createFixture()}.
 */
public abstract class TargetMailboxContract extends MailboxContractSupport {

    /** Flags with every system flag but \Deleted and two keywords. */
    private static final MessageFlags RICH_FLAGS = MessageFlags.of(MessageFlags.SEEN, MessageFlags.ANSWERED,
            MessageFlags.FLAGGED, "$Forwarded", "Projekt_A");

    // ------------------------------------------------------------------ folders

    @Test
    public void required_listFoldersIncludesTheInbox() {
        assertThat(openTarget().listFolders()).filteredOn(FolderInfo::isInbox).singleElement()
                .satisfies(inbox -> assertThat(inbox.selectable()).isTrue());
    }

    @Test
    public void required_selectFolderOfAMissingFolderFailsWithFolderNotFound() {
        TargetMailbox target = openTarget();

        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> target.selectFolder("No such folder"));

        assertThat(e).as("selectFolder of a missing folder throws").isNotNull();
        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.FOLDER_NOT_FOUND);
    }

    @Test
    public void required_createFolderCreatesASelectableFolderThatOthersSee() {
        TargetMailbox target = openTarget();

        target.createFolder("Archive");

        assertThat(fixture.folderNames()).contains("Archive");
        assertThat(find(target.listFolders(), "Archive").selectable()).isTrue();
        assertThat(target.selectFolder("Archive").messageCount()).isZero();
    }

    @Test
    public void required_createFolderOfAnExistingFolderIsNotAnError() {
        fixture.createFolder("Existing");
        seed("Existing", 1);
        TargetMailbox target = openTarget();

        target.createFolder("Existing");
        target.createFolder("Existing");
        target.createFolder("INBOX");

        assertThat(fixture.folderNames()).containsOnlyOnce("Existing");
        assertThat(fixture.messages("Existing")).hasSize(1);
    }

    @Test
    public void required_createFolderCreatesMissingParents() {
        TargetMailbox target = openTarget();
        String deep = folder("Kunden", "2024", "Q1");

        target.createFolder(deep);

        assertThat(fixture.folderNames()).contains(deep);
        List<String> listed = target.listFolders().stream().map(FolderInfo::name).toList();
        assertThat(listed).contains(folder("Kunden"), folder("Kunden", "2024"), deep);
        assertThat(target.selectFolder(deep).messageCount()).isZero();
    }

    @Test
    public void required_createFolderUnderAnExistingParentNestsIt() {
        fixture.createFolder("Projects");
        TargetMailbox target = openTarget();

        target.createFolder(folder("Projects", "2024"));

        FolderInfo nested = find(target.listFolders(), folder("Projects", "2024"));
        assertThat(nested.segments()).containsExactly("Projects", "2024");
    }

    @Test
    public void required_createFolderKeepsNonAsciiNames() {
        TargetMailbox target = openTarget();

        target.createFolder("Entwürfe");
        target.createFolder("送信済み");
        target.createFolder("Éléments envoyés");
        target.append("送信済み", List.of(request(TestMessages.eightBit(), MessageFlags.NONE, DATE_1)));

        assertThat(fixture.folderNames()).contains("Entwürfe", "送信済み", "Éléments envoyés");
        assertThat(fixture.messages("送信済み")).hasSize(1);
    }

    // ------------------------------------------------------------------ append

    @Test
    public void required_appendStoresMessagesByteIdenticalInOrder() {
        List<TestMessages.Sample> samples = new ArrayList<>(TestMessages.built());
        samples.addAll(TestMessages.realText());
        TargetMailbox target = openTarget();
        target.createFolder("Copied");
        List<AppendRequest> requests = samples.stream().map(s -> request(s.raw(), MessageFlags.NONE, DATE_1)).toList();

        List<AppendResult> results = target.append("Copied", requests);

        assertThat(results).hasSize(samples.size()).allSatisfy(r -> assertThat(r.stored()).isTrue());
        assertThat(digests(fixture.messages("Copied")))
                .containsExactlyElementsOf(samples.stream().map(TestMessages.Sample::sha256).toList());
    }

    @Test
    public void required_appendSetsFlagsKeywordsAndInternalDate() {
        TargetMailbox target = openTarget();
        Instant withMillis = DATE_2.plusMillis(789);

        List<AppendResult> results = target.append("INBOX", List.of(
                request(TestMessages.plain("Rich", "flags"), RICH_FLAGS, DATE_1),
                request(TestMessages.plain("Draft", "draft"), MessageFlags.of(MessageFlags.DRAFT), withMillis),
                request(TestMessages.plain("None", "no flags"), MessageFlags.NONE, DATE_1)));

        assertThat(results).allSatisfy(r -> assertThat(r.stored()).isTrue());
        List<StoredMessage> stored = fixture.messages("INBOX");
        assertThat(stored).hasSize(3);
        assertThat(stored.get(0).flags()).isEqualTo(RICH_FLAGS);
        assertThat(seconds(stored.get(0).internalDate())).isEqualTo(DATE_1);
        assertThat(stored.get(1).flags()).isEqualTo(MessageFlags.of(MessageFlags.DRAFT));
        assertThat(seconds(stored.get(1).internalDate())).isEqualTo(seconds(withMillis));
        assertThat(stored.get(2).flags()).isEqualTo(MessageFlags.NONE);
    }

    @Test
    public void required_appendWithoutInternalDateStoresTheMessage() {
        TargetMailbox target = openTarget();
        byte[] raw = TestMessages.plain("Undated", "no internal date given");

        List<AppendResult> results = target.append("INBOX", List.of(new AppendRequest(MessageFlags.NONE, null, content(raw))));

        assertThat(results).singleElement().satisfies(r -> assertThat(r.stored()).isTrue());
        assertThat(digests(fixture.messages("INBOX"))).containsExactly(TestMessages.sha256(raw));
    }

    @Test
    public void required_appendReturnsOneResultPerMessageInOrder() {
        TargetMailbox target = openTarget();
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(request(TestMessages.plain("Message " + i, "body " + i), MessageFlags.NONE, DATE_1.plusSeconds(i)));
        }

        List<AppendResult> results = target.append("INBOX", requests);

        assertThat(results).hasSize(5).allSatisfy(r -> {
            assertThat(r.stored()).isTrue();
            assertThat(r.error()).isNull();
        });
        List<StoredMessage> stored = fixture.messages("INBOX");
        assertThat(stored).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(seconds(stored.get(i).internalDate())).isEqualTo(DATE_1.plusSeconds(i));
        }
    }

    @Test
    public void uidplus_appendReportsTheUidAndUidValidityOfEachStoredMessage() {
        TargetMailbox target = openTarget();
        assumeTrue(target.capabilities().contains(ConnectorCapability.UIDPLUS), "no UIDPLUS");
        fixture.createFolder("Copied");
        seed("Copied", 2);
        byte[] a = TestMessages.plain("A", "first");
        byte[] b = TestMessages.multipart("B", 2000);

        List<AppendResult> results = target.append("Copied", List.of(request(a, MessageFlags.NONE, DATE_1),
                request(b, MessageFlags.of(MessageFlags.SEEN), DATE_2)));
        long uidValidity = target.selectFolder("Copied").uidValidity();

        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.stored()).isTrue();
            assertThat(r.uidValidity()).isEqualTo(uidValidity);
        });
        assertThat(results.get(1).uid()).isGreaterThan(results.get(0).uid());
        Map<Long, String> byUid = new java.util.HashMap<>();
        fixture.messages("Copied").forEach(m -> byUid.put(m.uid(), m.sha256()));
        assertThat(byUid.get(results.get(0).uid())).isEqualTo(TestMessages.sha256(a));
        assertThat(byUid.get(results.get(1).uid())).isEqualTo(TestMessages.sha256(b));
    }

    @Test
    public void required_appendOfHardMessagesStoresEachByteIdenticalOrRefusesItWithAReason() {
        List<TestMessages.Sample> samples = TestMessages.realAsFound();
        TargetMailbox target = openTarget();
        target.createFolder("Hard");

        List<AppendResult> results = target.append("Hard",
                samples.stream().map(s -> request(s.raw(), MessageFlags.NONE, DATE_1)).toList());

        assertThat(results).hasSameSizeAs(samples);
        List<String> expectedStored = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            AppendResult r = results.get(i);
            if (r.stored()) {
                expectedStored.add(samples.get(i).sha256());
            } else {
                assertThat(r.error()).as("reason for refusing %s", samples.get(i)).isNotBlank();
            }
        }
        assertThat(digests(fixture.messages("Hard"))).as("stored messages are byte-identical, in order")
                .containsExactlyElementsOf(expectedStored);
    }

    @Test
    public void binary_appendStoresMessagesWithNulBytesAndBareCrUnchanged() {
        TargetMailbox target = openTarget();
        assumeTrue(target.capabilities().contains(ConnectorCapability.BINARY), "no BINARY");
        List<TestMessages.Sample> samples = TestMessages.realBinary();

        List<AppendResult> results = target.append("INBOX",
                samples.stream().map(s -> request(s.raw(), MessageFlags.NONE, DATE_1)).toList());

        assertThat(results).allSatisfy(r -> assertThat(r.stored()).isTrue());
        assertThat(digests(fixture.messages("INBOX")))
                .containsExactlyElementsOf(samples.stream().map(TestMessages.Sample::sha256).toList());
    }

    @Test
    public void required_appendToAMissingFolderStoresNothing() {
        TargetMailbox target = openTarget();
        List<AppendRequest> requests = List.of(request(TestMessages.plain("Lost", "nowhere"), MessageFlags.NONE, DATE_1));

        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> {
            List<AppendResult> results = target.append("No such folder", requests);
            assertThat(results).as("without an exception, every message is refused")
                    .allSatisfy(r -> assertThat(r.stored()).isFalse());
        });

        if (e != null) {
            assertThat(e.kind()).isIn(ConnectorException.Kind.FOLDER_NOT_FOUND, ConnectorException.Kind.REFUSED);
        }
        assertThat(fixture.folderNames()).doesNotContain("No such folder");
    }

    @Test
    public void required_appendLeavesExistingMessagesAlone() {
        List<Long> uids = seed("INBOX", 2);
        List<StoredMessage> before = fixture.messages("INBOX");
        TargetMailbox target = openTarget();

        target.append("INBOX", List.of(request(TestMessages.plain("New", "new"), RICH_FLAGS, DATE_2)));

        List<StoredMessage> after = fixture.messages("INBOX");
        assertThat(after).hasSize(3);
        assertThat(after.subList(0, 2)).extracting(StoredMessage::uid).containsExactlyElementsOf(uids);
        assertThat(digests(after.subList(0, 2))).containsExactlyElementsOf(digests(before));
        assertThat(after.subList(0, 2)).allSatisfy(m -> assertThat(m.flags()).isEqualTo(MessageFlags.NONE));
    }

    // ------------------------------------------------------------------ reading (optional)

    /**
     * A target that reads back header fields and messages lets the engine recognise messages that
     * are there already; reading changes nothing. Skipped for a connector that does not.
     */
    @Test
    public void reading_fetchHeadersAndFetchMessagesReadTargetMessagesWithoutChangingThem() {
        List<TestMessages.Sample> samples = new ArrayList<>(TestMessages.built());
        samples.addAll(TestMessages.realText());
        fixture.createFolder("Read");
        List<Long> uids = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            uids.add(fixture.append("Read", SeedMessage.of(s.raw())));
        }
        TargetMailbox target = openTarget();
        target.selectFolder("Read");
        List<io.mailferry.core.spi.MessageHeaders> headers;
        try {
            headers = target.fetchHeaders("Read", 1, 4_294_967_295L, FINGERPRINT_FIELDS);
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "this target does not read messages");
            return;
        }
        assertHeadersOf(headers, samples);

        List<io.mailferry.core.spi.MessageInfo> wanted = new ArrayList<>();
        for (io.mailferry.core.spi.MessageHeaders h : headers.subList(1, headers.size())) {
            wanted.add(new io.mailferry.core.spi.MessageInfo(h.uid(), h.size(), MessageFlags.NONE, null, 0));
        }
        Map<Long, String> fetched = new java.util.LinkedHashMap<>();
        target.fetchMessages("Read", wanted, new io.mailferry.core.spi.MessageSink() {
            @Override
            public void accept(io.mailferry.core.spi.MessageInfo message, InputStream content) throws java.io.IOException {
                fetched.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
            }

            @Override
            public void failed(io.mailferry.core.spi.MessageInfo message, String reason) {
                fetched.put(message.uid(), "failed: " + reason);
            }
        });
        assertThat(fetched.keySet()).containsExactlyElementsOf(uids.subList(1, uids.size()));
        assertThat(fetched.values()).containsExactlyElementsOf(
                samples.subList(1, samples.size()).stream().map(TestMessages.Sample::sha256).toList());
        assertThat(fixture.messages("Read")).allSatisfy(m -> assertThat(m.flags()).isEqualTo(MessageFlags.NONE));
    }

    // ------------------------------------------------------------------ flags

    @Test
    public void required_fetchFlagsReturnsTheFlagsOfExistingUidsOnly() {
        long seen = fixture.append("INBOX", new SeedMessage(TestMessages.plain("S", "s"), MessageFlags.of(MessageFlags.SEEN), DATE_1));
        long kw = fixture.append("INBOX", new SeedMessage(TestMessages.plain("K", "k"), MessageFlags.of("$Label1"), DATE_1));
        TargetMailbox target = openTarget();
        target.selectFolder("INBOX");

        Map<Long, MessageFlags> flags = target.fetchFlags("INBOX", List.of(seen, kw, kw + 1000));

        assertThat(flags).containsOnlyKeys(seen, kw);
        assertThat(flags.get(seen)).isEqualTo(MessageFlags.of(MessageFlags.SEEN));
        assertThat(flags.get(kw)).isEqualTo(MessageFlags.of("$Label1"));
    }

    @Test
    public void required_updateFlagsAddsAndRemovesFlagsAndKeywords() {
        long uid = fixture.append("INBOX", new SeedMessage(TestMessages.plain("Flags", "x"),
                MessageFlags.of(MessageFlags.SEEN, "$Old", MessageFlags.ANSWERED), DATE_1));
        TargetMailbox target = openTarget();
        target.selectFolder("INBOX");

        target.updateFlags("INBOX", List.of(new FlagUpdate(uid, MessageFlags.of(MessageFlags.FLAGGED, "$New"),
                MessageFlags.of(MessageFlags.SEEN, "$Old"))));

        assertThat(fixture.messages("INBOX").get(0).flags())
                .isEqualTo(MessageFlags.of(MessageFlags.ANSWERED, MessageFlags.FLAGGED, "$New"));
        assertThat(target.fetchFlags("INBOX", List.of(uid)).get(uid))
                .isEqualTo(MessageFlags.of(MessageFlags.ANSWERED, MessageFlags.FLAGGED, "$New"));
    }

    @Test
    public void required_updateFlagsChangesOnlyTheNamedMessages() {
        List<Long> uids = seed("INBOX", 3);
        TargetMailbox target = openTarget();
        target.selectFolder("INBOX");

        target.updateFlags("INBOX", List.of(new FlagUpdate(uids.get(1), MessageFlags.of(MessageFlags.SEEN), MessageFlags.NONE)));

        List<StoredMessage> stored = fixture.messages("INBOX");
        assertThat(stored.get(0).flags()).isEqualTo(MessageFlags.NONE);
        assertThat(stored.get(1).flags()).isEqualTo(MessageFlags.of(MessageFlags.SEEN));
        assertThat(stored.get(2).flags()).isEqualTo(MessageFlags.NONE);
    }

    @Test
    public void required_closeCanBeCalledTwice() {
        TargetMailbox target = openTarget();
        target.close();
        target.close();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * @param raw   bytes
     * @param flags flags
     * @param date  INTERNALDATE
     * @return an append request over the bytes
     */
    protected static AppendRequest request(byte[] raw, MessageFlags flags, Instant date) {
        return new AppendRequest(flags, date, content(raw));
    }

    /**
     * @param raw bytes
     * @return re-readable content over a copy of them
     */
    protected static MessageContent content(byte[] raw) {
        byte[] copy = Arrays.copyOf(raw, raw.length);
        return new MessageContent() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(copy);
            }
        };
    }
}
