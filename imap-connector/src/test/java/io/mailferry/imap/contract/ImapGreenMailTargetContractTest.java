package io.mailferry.imap.contract;

import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.TargetMailboxContract;
import io.mailferry.testing.GreenMailServer;
import io.mailferry.core.spi.contract.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The target contract against the IMAP connector on GreenMail (UIDPLUS, LITERAL+; no MULTIAPPEND,
 * no BINARY). One server for the class, a fresh user per test.
 */
class ImapGreenMailTargetContractTest extends TargetMailboxContract {

    private static GreenMailServer server;

    @BeforeAll
    static void startServer() {
        server = GreenMailServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected MailboxFixture createFixture() {
        return ImapGreenMailSourceContractTest.greenMailFixture(server);
    }

    /** Skipped where GreenMail changes messages itself (see {@link ImapGreenMailSourceContractTest}). */
    @Override
    @Test
    public void required_appendStoresMessagesByteIdenticalInOrder() {
        ServerLimitations.assumeServerReturnsUnchanged(fixture, ServerLimitations.textSamples(),
                ImapGreenMailSourceContractTest.GREENMAIL_REWRITES);
        super.required_appendStoresMessagesByteIdenticalInOrder();
    }

    /** The connector's part of the skipped rules: it stores each message as GreenMail stores it from any client. */
    @Test
    void serverRelative_appendStoresEachMessageAsTheServerStoresItFromAnyClient() {
        ServerLimitations.assertTargetStoresWhatTheServerStores(fixture, openTarget(), ServerLimitations.allSamples());
    }

    /**
     * Skipped where GreenMail changes messages itself: besides the rewrites above it stores the
     * binary messages (NUL, bare CR) with changed bytes instead of refusing them.
     */
    @Override
    @Test
    public void required_appendOfHardMessagesStoresEachByteIdenticalOrRefusesItWithAReason() {
        ServerLimitations.assumeServerReturnsUnchanged(fixture, TestMessages.realAsFound(),
                ImapGreenMailSourceContractTest.GREENMAIL_REWRITES);
        super.required_appendOfHardMessagesStoresEachByteIdenticalOrRefusesItWithAReason();
    }

    /**
     * Skipped where GreenMail answers {@code HEADER.FIELDS} from its parsed copy of the message: a
     * raw 8-bit header byte is decoded as UTF-8 and sent back in ISO-8859-1 (so {@code ü} arrives
     * as one byte, CJK as {@code ?}), whatever the client. Measured with a plain socket, not the
     * connector; a GreenMail that returns the fields as stored gets the full rule.
     */
    @Override
    @Test
    public void reading_fetchHeadersAndFetchMessagesReadTargetMessagesWithoutChangingThem() {
        ServerLimitations.assumeHeaderFieldsReturnedUnchanged(fixture);
        super.reading_fetchHeadersAndFetchMessagesReadTargetMessagesWithoutChangingThem();
    }

    /**
     * The connector's part of the skipped rule: the fields it fetches are those GreenMail stores,
     * for messages whose header is ASCII. GreenMail answers {@code BODY[HEADER.FIELDS]} from its
     * parsed copy of the message, not from the stored bytes, so raw 8-bit header bytes come back as
     * decoded text or {@code ?} there while {@code BODY[]} returns them unchanged.
     */
    @Test
    void serverRelative_fetchHeadersReturnsTheFieldsOfWhatTheServerStores() {
        ServerLimitations.assertHeadersAreThoseTheServerStores(fixture, openTarget(),
                ServerLimitations.withAsciiHeaders(ServerLimitations.textSamples()));
    }
}
