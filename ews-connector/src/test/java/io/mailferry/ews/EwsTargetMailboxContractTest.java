package io.mailferry.ews;

import io.mailferry.core.spi.contract.MailboxFixture;
import io.mailferry.core.spi.contract.TargetMailboxContract;
import io.mailferry.ews.fake.FakeEwsServer;
import io.mailferry.ews.fake.FakeExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The target contract against the fake EWS server, through the real connector. */
class EwsTargetMailboxContractTest extends TargetMailboxContract {

    private static FakeEwsServer server;
    private static final EwsConnectorProvider PROVIDER = new EwsConnectorProvider();

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeEwsServer.start(new FakeExchange()
                .serviceAccount(EwsMailboxFixture.ADMIN, EwsMailboxFixture.ADMIN_PASSWORD));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected MailboxFixture createFixture() {
        return new EwsMailboxFixture(server, PROVIDER);
    }
}
