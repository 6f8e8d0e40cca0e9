package io.mailferry.imap.contract;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.TargetMailboxContract;
import io.mailferry.core.spi.contract.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The target contract against the IMAP connector on Dovecot 2.3 (UIDPLUS, MULTIAPPEND, LITERAL+,
 * BINARY), with separator {@code /} and with {@code .}: one server per variant, a fresh user per
 * test, and once more announcing only IMAP4rev1 ({@link WithoutExtensions}).
 */
class ImapDovecotTargetContractIT {

    private static DovecotContractServer slash;
    private static DovecotContractServer dot;
    private static DovecotContractServer bare;
    private static final String BARE_CAPABILITIES = ImapDovecotSourceContractIT.BARE_CAPABILITIES;

    @BeforeAll
    static void startServers() {
        slash = DovecotContractServer.start('/');
        dot = DovecotContractServer.start('.');
        bare = DovecotContractServer.start('/', BARE_CAPABILITIES);
    }

    @AfterAll
    static void stopServers() {
        if (slash != null) {
            slash.close();
        }
        if (dot != null) {
            dot.close();
        }
        if (bare != null) {
            bare.close();
        }
    }

    @Nested
    class WithSlashSeparator extends DovecotRules {
        @Override
        protected MailboxFixture createFixture() {
            return slash.nextFixture();
        }
    }

    @Nested
    class WithDotSeparator extends DovecotRules {
        @Override
        protected MailboxFixture createFixture() {
            return dot.nextFixture();
        }
    }

    /**
     * Dovecot announcing only IMAP4rev1: the connector's paths without LITERAL+, MULTIAPPEND and
     * UIDPLUS (synchronising literals, one APPEND per message, no APPENDUID) run against a real
     * server; the capability-gated rules are skipped.
     */
    @Nested
    class WithoutExtensions extends DovecotRules {
        @Override
        protected MailboxFixture createFixture() {
            return bare.nextFixture();
        }
    }

    /** The kit's target rules, with Dovecot's one limitation. */
    abstract static class DovecotRules extends TargetMailboxContract {

        /**
         * Skipped because Dovecot cannot give these bytes back to any client (measured by the
         * assumption; see {@link ImapDovecotSourceContractIT#DOVECOT_LINE_ENDS}).
         */
        @Override
        @Test
        public void binary_appendStoresMessagesWithNulBytesAndBareCrUnchanged() {
            assumeTrue(openTarget().capabilities().contains(ConnectorCapability.BINARY), "no BINARY");
            ServerLimitations.assumeServerReturnsUnchanged(fixture, TestMessages.realBinary(),
                    ImapDovecotSourceContractIT.DOVECOT_LINE_ENDS);
            super.binary_appendStoresMessagesWithNulBytesAndBareCrUnchanged();
        }

        /**
         * Skipped for the same reason: Dovecot stores the bare-LF and NUL messages of the sample
         * (rather than refusing them) and gives them back with CRLF and 0x80.
         */
        @Override
        @Test
        public void required_appendOfHardMessagesStoresEachByteIdenticalOrRefusesItWithAReason() {
            ServerLimitations.assumeServerReturnsUnchanged(fixture, TestMessages.realAsFound(),
                    ImapDovecotSourceContractIT.DOVECOT_LINE_ENDS);
            super.required_appendOfHardMessagesStoresEachByteIdenticalOrRefusesItWithAReason();
        }

        /** The connector's part of the skipped rules: it stores each message as Dovecot stores it from any client. */
        @Test
        void serverRelative_appendStoresEachMessageAsTheServerStoresItFromAnyClient() {
            ServerLimitations.assertTargetStoresWhatTheServerStores(fixture, openTarget(),
                    ServerLimitations.allSamples());
        }
    }
}
