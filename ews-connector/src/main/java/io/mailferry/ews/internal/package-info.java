/**
 * Internals of the Exchange connector: the sessions, the ews-java-api service with strict TLS,
 * the retry and throttling layer, Autodiscover, the ExportItems/UploadItems request classes and
 * the flag mapping. Not public API.
 */
package io.mailferry.ews.internal;
