package io.mailferry.core.spi.contract;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.ConnectorException;
import io.mailferry.core.spi.FolderInfo;
import io.mailferry.core.spi.FolderStatus;
import io.mailferry.core.spi.MessageFlags;
import io.mailferry.core.spi.MessageInfo;
import io.mailferry.core.spi.MessageSink;
import io.mailferry.core.spi.SourceMailbox;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every {@link SourceMailbox} must do (see its javadoc and {@code MailboxSession}'s). Subclass
 * it and implement {@link #createFixture()}.
 */
public abstract class SourceMailboxContract extends MailboxContractSupport {

    // ------------------------------------------------------------------ folders

    @Test
    public void required_listFoldersIncludesTheInboxNamedINBOXAndSelectable() {
        List<FolderInfo> folders = openSource().listFolders();

        assertThat(folders).filteredOn(FolderInfo::isInbox).singleElement().satisfies(inbox -> {
            assertThat(inbox.name()).isEqualTo("INBOX");
            assertThat(inbox.selectable()).isTrue();
            assertThat(inbox.role()).isIn(null, FolderRole.INBOX);
        });
    }

    @Test
    public void required_listFoldersListsParentsBeforeTheirChildren() {
        fixture.createFolder(folder("Projects", "2024", "Q1"));
        fixture.createFolder(folder("Archive"));
        fixture.createFolder(folder("Projects", "2023"));

        List<String> names = openSource().listFolders().stream().map(FolderInfo::name).toList();

        assertThat(names).contains(folder("Projects"), folder("Projects", "2024"), folder("Projects", "2024", "Q1"),
                folder("Projects", "2023"), folder("Archive"));
        for (String name : names) {
            int cut = name.lastIndexOf(fixture.separator());
            if (cut > 0 && names.contains(name.substring(0, cut))) {
                assertThat(names.indexOf(name.substring(0, cut))).as("parent of %s listed first", name)
                        .isLessThan(names.indexOf(name));
            }
        }
    }

    @Test
    public void required_listFoldersReportsTheSeparatorAndSegmentsOfNestedFolders() {
        fixture.createFolder(folder("Projects", "2024"));

        FolderInfo nested = find(openSource().listFolders(), folder("Projects", "2024"));

        assertThat(nested.separator()).isEqualTo(fixture.separator());
        assertThat(nested.segments()).containsExactly("Projects", "2024");
    }

    @Test
    public void required_listFoldersReturnsNonAsciiNamesAsUnicode() {
        fixture.createFolder("Entwürfe");
        fixture.createFolder("送信済み");
        fixture.createFolder(folder("Projekte", "Übersicht"));

        List<String> names = openSource().listFolders().stream().map(FolderInfo::name).toList();

        assertThat(names).contains("Entwürfe", "送信済み", folder("Projekte", "Übersicht"));
    }

    @Test
    public void required_listFoldersIncludesEmptyFoldersAsSelectable() {
        fixture.createFolder("Empty");

        FolderInfo empty = find(openSource().listFolders(), "Empty");

        assertThat(empty.selectable()).isTrue();
    }

    @Test
    public void fixture_listFoldersReportsANoselectFolderAsNotSelectable() {
        assumeTrue(fixture.canCreateNonSelectableFolders(), "fixture cannot create non-selectable folders");
        fixture.createNonSelectableFolder("Parent");
        fixture.createFolder(folder("Parent", "Child"));

        List<FolderInfo> folders = openSource().listFolders();

        assertThat(find(folders, "Parent").selectable()).isFalse();
        assertThat(find(folders, folder("Parent", "Child")).selectable()).isTrue();
    }

    @Test
    public void specialUse_listFoldersReportsTheRoleAndAttributeOfSpecialUseFolders() {
        SourceMailbox source = openSource();
        assumeTrue(source.capabilities().contains(ConnectorCapability.SPECIAL_USE), "no SPECIAL-USE");
        assumeTrue(fixture.canCreateSpecialUseFolders(), "fixture cannot create special-use folders");
        fixture.createFolder("Gesendete Objekte", FolderRole.SENT);
        fixture.createFolder("Papierkorb", FolderRole.TRASH);

        List<FolderInfo> folders = source.listFolders();

        FolderInfo sent = find(folders, "Gesendete Objekte");
        assertThat(sent.role()).isEqualTo(FolderRole.SENT);
        assertThat(sent.attributes()).anyMatch(a -> a.equalsIgnoreCase("\\Sent"));
        assertThat(find(folders, "Papierkorb").role()).isEqualTo(FolderRole.TRASH);
    }

    @Test
    public void required_selectFolderOfAMissingFolderFailsWithFolderNotFound() {
        SourceMailbox source = openSource();

        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> source.selectFolder("No such folder"));

        assertThat(e).as("selectFolder of a missing folder throws").isNotNull();
        assertThat(e.kind()).isEqualTo(ConnectorException.Kind.FOLDER_NOT_FOUND);
    }

    @Test
    public void required_selectFolderReportsMessageCountUidValidityAndUidNext() {
        List<Long> uids = seed("INBOX", 3);

        FolderStatus status = openSource().selectFolder("INBOX");

        assertThat(status.messageCount()).isEqualTo(3);
        assertThat(status.uidValidity()).isPositive();
        assertThat(status.uidNext()).satisfiesAnyOf(
                next -> assertThat(next).isZero(),
                next -> assertThat(next).isGreaterThan(uids.get(2)));
    }

    @Test
    public void required_selectFolderOfAnEmptyFolderReportsNoMessages() {
        fixture.createFolder("Empty");

        FolderStatus status = openSource().selectFolder("Empty");

        assertThat(status.messageCount()).isZero();
        assertThat(status.uidValidity()).isPositive();
    }

    @Test
    public void required_selectFolderWorksForNonAsciiNames() {
        fixture.createFolder("送信済み");
        seed("送信済み", 2);

        SourceMailbox source = openSource();

        assertThat(source.selectFolder("送信済み").messageCount()).isEqualTo(2);
        assertThat(source.listMessages("送信済み", 0, 10)).hasSize(2);
    }

    @Test
    public void condstore_selectFolderReportsAHighestModSeqNotBelowAnyMessageModSeq() {
        SourceMailbox source = openSource();
        assumeTrue(source.capabilities().contains(ConnectorCapability.CONDSTORE), "no CONDSTORE");
        seed("INBOX", 3);

        FolderStatus status = source.selectFolder("INBOX");
        List<MessageInfo> listed = source.listMessages("INBOX", 0, 10);

        assertThat(status.highestModSeq()).isPositive();
        assertThat(listed).allSatisfy(m -> assertThat(m.modSeq()).isPositive().isLessThanOrEqualTo(status.highestModSeq()));
    }

    // ------------------------------------------------------------------ listMessages

    @Test
    public void required_listMessagesReturnsAscendingUidsAboveAfterUid() {
        List<Long> uids = seed("INBOX", 5);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        assertThat(source.listMessages("INBOX", 0, 100)).extracting(MessageInfo::uid).containsExactlyElementsOf(uids);
        assertThat(source.listMessages("INBOX", uids.get(1), 100)).extracting(MessageInfo::uid)
                .containsExactlyElementsOf(uids.subList(2, 5));
    }

    @Test
    public void required_listMessagesReturnsAtMostLimitMessagesWithTheLowestUids() {
        List<Long> uids = seed("INBOX", 5);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        assertThat(source.listMessages("INBOX", 0, 2)).extracting(MessageInfo::uid).containsExactly(uids.get(0), uids.get(1));
        assertThat(source.listMessages("INBOX", 0, 1)).extracting(MessageInfo::uid).containsExactly(uids.get(0));
    }

    @Test
    public void required_listMessagesPagesThroughAFolderWithoutGapsOrRepeats() {
        List<Long> uids = seed("INBOX", 7);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        List<Long> seen = new ArrayList<>();
        long after = 0;
        for (int pages = 0; pages < 10; pages++) {
            List<MessageInfo> page = source.listMessages("INBOX", after, 3);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            page.forEach(m -> seen.add(m.uid()));
            after = page.get(page.size() - 1).uid();
        }

        assertThat(seen).containsExactlyElementsOf(uids);
    }

    @Test
    public void required_listMessagesOfAnEmptyFolderReturnsNothing() {
        fixture.createFolder("Empty");
        SourceMailbox source = openSource();
        source.selectFolder("Empty");

        assertThat(source.listMessages("Empty", 0, 100)).isEmpty();
    }

    @Test
    public void required_listMessagesAfterTheHighestUidReturnsNothing() {
        List<Long> uids = seed("INBOX", 3);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        assertThat(source.listMessages("INBOX", uids.get(2), 100)).isEmpty();
        assertThat(source.listMessages("INBOX", uids.get(2) + 1000, 100)).isEmpty();
    }

    @Test
    public void required_listMessagesLeavesOutExpungedMessages() {
        List<Long> uids = seed("INBOX", 3);
        fixture.expunge("INBOX", uids.get(1));
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        assertThat(source.listMessages("INBOX", 0, 100)).extracting(MessageInfo::uid)
                .containsExactly(uids.get(0), uids.get(2));
    }

    @Test
    public void required_listMessagesReportsSizeFlagsKeywordsAndInternalDate() {
        byte[] first = TestMessages.plain("Flagged", "flags and keywords");
        byte[] second = TestMessages.multipart("Draft", 500);
        MessageFlags firstFlags = MessageFlags.of(MessageFlags.SEEN, MessageFlags.FLAGGED, "$Forwarded", "Projekt_A");
        MessageFlags secondFlags = MessageFlags.of(MessageFlags.DRAFT, MessageFlags.ANSWERED);
        fixture.append("INBOX", new SeedMessage(first, firstFlags, DATE_1));
        fixture.append("INBOX", new SeedMessage(second, secondFlags, DATE_2));
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        List<MessageInfo> listed = source.listMessages("INBOX", 0, 10);

        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).size()).isEqualTo(first.length);
        assertThat(listed.get(0).flags()).isEqualTo(firstFlags);
        assertThat(seconds(listed.get(0).internalDate())).isEqualTo(DATE_1);
        assertThat(listed.get(1).size()).isEqualTo(second.length);
        assertThat(listed.get(1).flags()).isEqualTo(secondFlags);
        assertThat(seconds(listed.get(1).internalDate())).isEqualTo(DATE_2);
    }

    @Test
    public void condstore_listMessagesReportsAPositiveModSeqPerMessage() {
        SourceMailbox source = openSource();
        assumeTrue(source.capabilities().contains(ConnectorCapability.CONDSTORE), "no CONDSTORE");
        seed("INBOX", 2);
        source.selectFolder("INBOX");

        assertThat(source.listMessages("INBOX", 0, 10)).allSatisfy(m -> assertThat(m.modSeq()).isPositive());
    }

    // ------------------------------------------------------------------ fetchFlags

    @Test
    public void required_fetchFlagsReturnsTheFlagsOfExistingMessagesInTheRangeOnly() {
        List<Long> uids = seed("INBOX", 5);
        fixture.setFlags("INBOX", uids.get(1), MessageFlags.of(MessageFlags.SEEN));
        fixture.setFlags("INBOX", uids.get(3), MessageFlags.of(MessageFlags.FLAGGED, "$Label1"));
        fixture.expunge("INBOX", uids.get(2));
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");

        Map<Long, MessageFlags> flags = source.fetchFlags("INBOX", uids.get(1), uids.get(3), 0);

        assertThat(flags).containsOnlyKeys(uids.get(1), uids.get(3));
        assertThat(flags.get(uids.get(1))).isEqualTo(MessageFlags.of(MessageFlags.SEEN));
        assertThat(flags.get(uids.get(3))).isEqualTo(MessageFlags.of(MessageFlags.FLAGGED, "$Label1"));
    }

    @Test
    public void required_fetchFlagsSeesFlagChangesMadeByOthers() {
        List<Long> uids = seed("INBOX", 2);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");
        assertThat(source.fetchFlags("INBOX", 1, uids.get(1), 0).get(uids.get(0))).isEqualTo(MessageFlags.NONE);

        fixture.setFlags("INBOX", uids.get(0), MessageFlags.of(MessageFlags.ANSWERED, "$Forwarded"));
        source.selectFolder("INBOX");

        assertThat(source.fetchFlags("INBOX", 1, uids.get(1), 0).get(uids.get(0)))
                .isEqualTo(MessageFlags.of(MessageFlags.ANSWERED, "$Forwarded"));
    }

    @Test
    public void condstore_fetchFlagsChangedSinceReturnsOnlyMessagesChangedAfterThatModSeq() {
        SourceMailbox source = openSource();
        assumeTrue(source.capabilities().contains(ConnectorCapability.CONDSTORE), "no CONDSTORE");
        List<Long> uids = seed("INBOX", 4);
        long before = source.selectFolder("INBOX").highestModSeq();

        fixture.setFlags("INBOX", uids.get(2), MessageFlags.of(MessageFlags.FLAGGED));
        FolderStatus after = source.selectFolder("INBOX");
        Map<Long, MessageFlags> changed = source.fetchFlags("INBOX", 1, uids.get(3), before);

        assertThat(after.highestModSeq()).isGreaterThan(before);
        assertThat(changed).containsOnlyKeys(uids.get(2));
        assertThat(changed.get(uids.get(2))).isEqualTo(MessageFlags.of(MessageFlags.FLAGGED));
        assertThat(source.fetchFlags("INBOX", 1, uids.get(3), after.highestModSeq())).isEmpty();
    }

    // ------------------------------------------------------------------ fetchHeaders

    @Test
    public void required_fetchHeadersReturnsTheFieldsAndSizeOfEveryMessageOfTheRange() {
        List<TestMessages.Sample> samples = new ArrayList<>(TestMessages.built());
        samples.addAll(TestMessages.realText());
        fixture.createFolder("Real");
        List<Long> uids = new ArrayList<>();
        for (TestMessages.Sample s : samples) {
            uids.add(fixture.append("Real", SeedMessage.of(s.raw())));
        }
        fixture.expunge("Real", uids.get(1));
        samples.remove(1);
        SourceMailbox source = openSource();

        List<io.mailferry.core.spi.MessageHeaders> all = source.fetchHeaders("Real", 1, 4_294_967_295L,
                FINGERPRINT_FIELDS);
        assertHeadersOf(all, samples);
        assertThat(all).extracting(io.mailferry.core.spi.MessageHeaders::uid)
                .containsExactlyElementsOf(uids.stream().filter(u -> !u.equals(uids.get(1))).toList());

        List<io.mailferry.core.spi.MessageHeaders> some = source.fetchHeaders("Real", uids.get(2), uids.get(3),
                FINGERPRINT_FIELDS);
        assertThat(some).extracting(io.mailferry.core.spi.MessageHeaders::uid).containsExactly(uids.get(2), uids.get(3));
        assertThat(source.fetchHeaders("Real", uids.get(uids.size() - 1) + 1, uids.get(uids.size() - 1) + 5,
                FINGERPRINT_FIELDS)).isEmpty();
        assertThat(fixture.messages("Real")).allSatisfy(m -> assertThat(m.flags()).isEqualTo(MessageFlags.NONE));
    }

    // ------------------------------------------------------------------ fetchMessages

    @Test
    public void required_fetchMessagesDeliversBytesIdenticalToTheStoredMessages() {
        List<TestMessages.Sample> samples = new ArrayList<>(TestMessages.built());
        samples.addAll(TestMessages.realText());
        assertFetchedByteIdentical(samples);
    }

    @Test
    public void binary_fetchMessagesDeliversMessagesWithNulBytesAndBareCrUnchanged() {
        SourceMailbox probe = openSource();
        assumeTrue(probe.capabilities().contains(ConnectorCapability.BINARY), "no BINARY");
        assertFetchedByteIdentical(TestMessages.realBinary());
    }

    private void assertFetchedByteIdentical(List<TestMessages.Sample> samples) {
        fixture.createFolder("Real");
        for (TestMessages.Sample s : samples) {
            fixture.append("Real", SeedMessage.of(s.raw()));
        }
        SourceMailbox source = openSource();
        source.selectFolder("Real");
        List<MessageInfo> listed = source.listMessages("Real", 0, 1000);
        Map<Long, String> fetched = new LinkedHashMap<>();

        source.fetchMessages("Real", listed, recordingSink(fetched, new ArrayList<>()));

        assertThat(fetched.values()).as("SHA-256 of every fetched message, in order")
                .containsExactlyElementsOf(samples.stream().map(TestMessages.Sample::sha256).toList());
        for (int i = 0; i < samples.size(); i++) {
            assertThat(listed.get(i).size()).as("listed size of %s", samples.get(i)).isEqualTo(samples.get(i).raw().length);
        }
    }

    @Test
    public void required_fetchMessagesDeliversMessagesInTheRequestedOrderWithTheirListedInfo() {
        seed("INBOX", 4);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");
        List<MessageInfo> listed = new ArrayList<>(source.listMessages("INBOX", 0, 10));
        List<MessageInfo> reversed = new ArrayList<>(listed);
        java.util.Collections.reverse(reversed);
        List<MessageInfo> received = new ArrayList<>();

        source.fetchMessages("INBOX", reversed, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                content.readAllBytes();
                received.add(message);
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                throw new AssertionError("unexpected failure of " + message + ": " + reason);
            }
        });

        assertThat(received).extracting(MessageInfo::uid)
                .containsExactlyElementsOf(reversed.stream().map(MessageInfo::uid).toList());
        assertThat(received).extracting(MessageInfo::size)
                .containsExactlyElementsOf(reversed.stream().map(MessageInfo::size).toList());
    }

    /**
     * A message expunged by another client after it was listed: a server may still return its data
     * to a session that has not yet been told of the expunge (RFC 2180 section 4.1.2; Dovecot does)
     * or return none (GreenMail). Either way the connector delivers it unchanged or reports it as
     * failed with a reason, exactly once, and delivers the others.
     */
    @Test
    public void required_fetchMessagesDeliversOrReportsAMessageExpungedMeanwhileAndDeliversTheOthers() {
        List<Long> uids = seed("INBOX", 3);
        List<StoredMessage> stored = fixture.messages("INBOX");
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");
        List<MessageInfo> listed = source.listMessages("INBOX", 0, 10);
        fixture.expunge("INBOX", uids.get(1));
        List<Long> delivered = new ArrayList<>();
        Map<Long, String> fetched = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();

        source.fetchMessages("INBOX", listed, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                delivered.add(message.uid());
                fetched.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                failures.add(message.uid() + ":" + reason);
            }
        });

        assertThat(delivered).as("each message delivered at most once").doesNotHaveDuplicates();
        assertThat(fetched).containsEntry(uids.get(0), stored.get(0).sha256())
                .containsEntry(uids.get(2), stored.get(2).sha256());
        if (fetched.containsKey(uids.get(1))) {
            assertThat(fetched.get(uids.get(1))).as("an expunged message the server still returns is delivered unchanged")
                    .isEqualTo(stored.get(1).sha256());
            assertThat(failures).isEmpty();
        } else {
            assertThat(failures).singleElement().satisfies(f -> {
                assertThat(f).startsWith(uids.get(1) + ":");
                assertThat(f.substring(f.indexOf(':') + 1)).isNotBlank();
            });
        }
        assertThat(fetched).containsOnlyKeys(fetched.containsKey(uids.get(1)) ? uids : List.of(uids.get(0), uids.get(2)));
    }

    @Test
    public void required_fetchMessagesRethrowsASinkFailureAsUncheckedIOException() {
        seed("INBOX", 2);
        SourceMailbox source = openSource();
        source.selectFolder("INBOX");
        List<MessageInfo> listed = source.listMessages("INBOX", 0, 10);

        assertThatThrownBy(() -> source.fetchMessages("INBOX", listed, new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void failed(MessageInfo message, String reason) {
            }
        })).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk full");
    }

    // ------------------------------------------------------------------ read-only

    @Test
    public void required_readingNeverChangesTheSourceFlagsOrMessages() {
        fixture.append("INBOX", new SeedMessage(TestMessages.plain("Unread", "not seen yet"), MessageFlags.NONE, DATE_1));
        fixture.append("INBOX", new SeedMessage(TestMessages.plain("Flagged", "flagged"),
                MessageFlags.of(MessageFlags.FLAGGED, "$Important"), DATE_2));
        fixture.createFolder("Other");
        fixture.append("Other", new SeedMessage(TestMessages.eightBit(), MessageFlags.of(MessageFlags.ANSWERED), DATE_1));
        List<StoredMessage> inboxBefore = fixture.messages("INBOX");
        List<StoredMessage> otherBefore = fixture.messages("Other");
        List<String> foldersBefore = fixture.folderNames();

        SourceMailbox source = openSource();
        source.listFolders();
        for (String f : List.of("INBOX", "Other")) {
            source.selectFolder(f);
            List<MessageInfo> listed = source.listMessages(f, 0, 10);
            source.fetchFlags(f, 1, listed.get(listed.size() - 1).uid(), 0);
            source.fetchMessages(f, listed, recordingSink(new LinkedHashMap<>(), new ArrayList<>()));
        }
        source.close();

        assertSameMessages(fixture.messages("INBOX"), inboxBefore);
        assertSameMessages(fixture.messages("Other"), otherBefore);
        assertThat(fixture.folderNames()).containsExactlyInAnyOrderElementsOf(foldersBefore);
    }

    @Test
    public void required_closeCanBeCalledTwice() {
        SourceMailbox source = openSource();
        source.close();
        source.close();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertSameMessages(List<StoredMessage> actual, List<StoredMessage> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            StoredMessage a = actual.get(i);
            StoredMessage e = expected.get(i);
            assertThat(a.uid()).isEqualTo(e.uid());
            assertThat(a.sha256()).isEqualTo(e.sha256());
            assertThat(a.flags()).as("flags of UID %d (e.g. no \\Seen from reading)", e.uid()).isEqualTo(e.flags());
            assertThat(seconds(a.internalDate())).isEqualTo(seconds(e.internalDate()));
        }
    }

    /** A sink that records UID → SHA-256 of each message, and "uid:reason" of each failure. */
    protected static MessageSink recordingSink(Map<Long, String> fetched, List<String> failures) {
        return new MessageSink() {
            @Override
            public void accept(MessageInfo message, InputStream content) throws IOException {
                fetched.put(message.uid(), TestMessages.sha256(content.readAllBytes()));
            }

            @Override
            public void failed(MessageInfo message, String reason) {
                failures.add(message.uid() + ":" + reason);
            }
        };
    }

}
