/** Implementation details of the notification module; not public API. */
package io.mailferry.notification.internal;
