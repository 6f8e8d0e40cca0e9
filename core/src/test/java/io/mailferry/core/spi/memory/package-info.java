/**
 * The in-memory reference connector: {@link io.mailferry.core.spi.memory.InMemoryMailServer}, a mail
 * server held in memory with test helpers, fault injection and instrumentation, and
 * {@link io.mailferry.core.spi.memory.InMemoryConnectorProvider}, which opens SPI sessions on it.
 *
 * <p>Shipped in core's test-jar. It honours the connector SPI exactly (the contract kit in
 * {@code io.mailferry.core.spi.contract} runs against it in core's own tests), so engine tests and
 * connector authors can rely on it as the reference for what a connector does.
 */
package io.mailferry.core.spi.memory;
