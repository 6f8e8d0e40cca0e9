/**
 * An in-process fake Exchange Web Services server for the connector's tests: a small stateful
 * mailbox model ({@link io.mailferry.ews.fake.FakeExchange}, {@link io.mailferry.ews.fake.FakeMailbox})
 * served over HTTP or HTTPS on 127.0.0.1 ({@link io.mailferry.ews.fake.FakeEwsServer}), with fault
 * injection ({@link io.mailferry.ews.fake.Faults}) and a record of every request.
 */
package io.mailferry.ews.fake;
