package io.mailferry.core.spi.memory;

import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.SourceMailboxContract;
import org.junit.jupiter.api.Nested;

/**
 * The source contract against the in-memory connector, in two server set-ups: all capabilities
 * with {@code /}, and none (a bare IMAP4rev1 server: no CONDSTORE, no SPECIAL-USE, no BINARY) with
 * {@code .}.
 */
class InMemorySourceMailboxContractTest extends SourceMailboxContract {

    @Override
    protected MailboxFixture createFixture() {
        return new InMemoryMailboxFixture(new InMemoryMailServer("contract.test"));
    }

    @Nested
    class WithoutOptionalCapabilitiesAndDotSeparator extends SourceMailboxContract {
        @Override
        protected MailboxFixture createFixture() {
            return new InMemoryMailboxFixture(new InMemoryMailServer("minimal.test").withCapabilities().separator('.'));
        }
    }
}
