/**
 * Runnable examples of the MailFerry API ({@link io.mailferry.examples.ApiExample}) and the bundled
 * sample of real mail the demo and the tests use ({@link io.mailferry.examples.SampleMail}).
 */
package io.mailferry.examples;
