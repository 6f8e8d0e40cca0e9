/**
 * Implementation of the {@code mailferry} commands. <strong>Internal:</strong> not an API.
 */
package io.mailferry.cli.internal;
