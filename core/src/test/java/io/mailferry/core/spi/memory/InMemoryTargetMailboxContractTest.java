package io.mailferry.core.spi.memory;

import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.TargetMailboxContract;
import org.junit.jupiter.api.Nested;

/**
 * The target contract against the in-memory connector, with all capabilities and {@code /}, and
 * with none (no UIDPLUS, no BINARY) and {@code .}.
 */
class InMemoryTargetMailboxContractTest extends TargetMailboxContract {

    @Override
    protected MailboxFixture createFixture() {
        return new InMemoryMailboxFixture(new InMemoryMailServer("contract.test"));
    }

    @Nested
    class WithoutOptionalCapabilitiesAndDotSeparator extends TargetMailboxContract {
        @Override
        protected MailboxFixture createFixture() {
            return new InMemoryMailboxFixture(new InMemoryMailServer("minimal.test").withCapabilities().separator('.'));
        }
    }
}
