/**
 * The connector contract kit: abstract JUnit 5 tests that state what every connector must do.
 *
 * <p>A connector's tests subclass {@link io.mailferry.core.spi.contract.SourceMailboxContract} and
 * {@link io.mailferry.core.spi.contract.TargetMailboxContract} and implement
 * {@link io.mailferry.core.spi.contract.MailboxContractSupport#createFixture()} with a
 * {@link io.mailferry.core.spi.contract.MailboxFixture} for their system: a fresh mailbox, ways to
 * prepare and read it without the connector under test, and sessions of the connector under test.
 *
 * <p>Test names state the rule. {@code required_…} rules hold for every connector;
 * {@code uidplus_…}, {@code condstore_…}, {@code specialUse_…} and {@code binary_…} rules hold when
 * the session reports the capability (otherwise the test is skipped); {@code fixture_…} rules need a
 * fixture that can prepare the situation. {@link io.mailferry.core.spi.contract.TestMessages} holds
 * the messages the kit uses, built in code and real ones (origin in {@code messages/README.md}).
 *
 * <p>Shipped in core's test-jar; core runs the kit against the in-memory reference connector.
 */
package io.mailferry.core.spi.contract;
