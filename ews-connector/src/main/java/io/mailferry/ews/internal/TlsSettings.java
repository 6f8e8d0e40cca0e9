package io.mailferry.ews.internal;

import java.nio.file.Path;

/**
 * How the connector verifies the server's TLS certificate.
 *
 * @param acceptUntrusted    {@code true} to accept any certificate and host name (explicit opt-in)
 * @param trustStore         a trust store file to use instead of the JDK's, or {@code null}
 * @param trustStorePassword its password, or {@code null}
 * @param trustStoreType     its type, e.g. {@code PKCS12}
 */
public record TlsSettings(boolean acceptUntrusted, Path trustStore, String trustStorePassword, String trustStoreType) {

    /** Verifies against the JDK's trust store with host name verification. */
    public static final TlsSettings STRICT = new TlsSettings(false, null, null, "PKCS12");

    /** Shows the settings without the password. */
    @Override
    public String toString() {
        return "TlsSettings[acceptUntrusted=" + acceptUntrusted + ", trustStore=" + trustStore + ", trustStoreType="
                + trustStoreType + "]";
    }
}
