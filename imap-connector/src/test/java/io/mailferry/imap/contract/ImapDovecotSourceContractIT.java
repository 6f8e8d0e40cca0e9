package io.mailferry.imap.contract;

import io.mailferry.core.spi.ConnectorCapability;
import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SourceMailboxContract;
import io.mailferry.core.spi.contract.TestMessages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The source contract against the IMAP connector on Dovecot 2.3 (CONDSTORE, QRESYNC, UIDPLUS,
 * MULTIAPPEND, LITERAL+, BINARY, SPECIAL-USE, ESEARCH), with separator {@code /} and with {@code .}:
 * one server per variant, a fresh user per test, and once more
 * announcing only IMAP4rev1 ({@link WithoutExtensions}). The fixture creates special-use folders (names
 * declared in the server's configuration) and {@code \Noselect} folders, so every rule of the kit
 * runs but where Dovecot itself cannot give a rule's bytes back ({@link DovecotRules}).
 */
class ImapDovecotSourceContractIT {

    private static DovecotContractServer slash;
    private static DovecotContractServer dot;
    private static DovecotContractServer bare;

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
     * Dovecot announcing only IMAP4rev1: the connector's paths without ESEARCH, CONDSTORE and
     * LITERAL+ (binary search for the first UID, synchronising literals) run against a real
     * server; the capability-gated rules are skipped.
     */
    @Nested
    class WithoutExtensions extends DovecotRules {
        @Override
        protected MailboxFixture createFixture() {
            return bare.nextFixture();
        }
    }

    /** The kit's source rules, with Dovecot's one limitation. */
    abstract static class DovecotRules extends SourceMailboxContract {

        /**
         * Skipped because Dovecot cannot give these bytes back to any client (measured by the
         * assumption): it returns every message with CRLF line ends, so a bare LF comes back as
         * CRLF (in {@code BODY[]} and {@code BINARY[]} alike), and {@code BODY[]} shows a NUL
         * byte as 0x80.
         */
        @Override
        @Test
        public void binary_fetchMessagesDeliversMessagesWithNulBytesAndBareCrUnchanged() {
            assumeTrue(openSource().capabilities().contains(ConnectorCapability.BINARY), "no BINARY");
            ServerLimitations.assumeServerReturnsUnchanged(fixture, TestMessages.realBinary(), DOVECOT_LINE_ENDS);
            super.binary_fetchMessagesDeliversMessagesWithNulBytesAndBareCrUnchanged();
        }

        /** The connector's part of the skipped rule, and more: it delivers exactly what Dovecot stores. */
        @Test
        void serverRelative_fetchMessagesDeliversExactlyWhatTheServerStores() {
            ServerLimitations.assertSourceDeliversWhatTheServerStores(fixture, openSource(),
                    ServerLimitations.allSamples());
        }
    }

    /** What the {@link WithoutExtensions} servers announce after login. */
    static final String BARE_CAPABILITIES = "IMAP4rev1";

    /** The Dovecot limitation that skips byte-identity rules. */
    static final String DOVECOT_LINE_ENDS = "Dovecot returns every message with CRLF line ends (a bare LF comes back"
            + " as CRLF, in BODY[] and BINARY[] alike) and shows NUL as 0x80 in BODY[]";
}
