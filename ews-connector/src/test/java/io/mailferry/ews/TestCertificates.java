package io.mailferry.ews;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's {@code keytool}: self-signed server certificates
 * for given subject alternative names, and a trust store holding some of them.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit-test";

    private final Path dir;

    TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes a key store with a self-signed certificate.
     *
     * @param alias the alias (and file name)
     * @param san   the subjectAltName, e.g. {@code ip:127.0.0.1,dns:localhost}
     * @return the PKCS12 key store file
     */
    Path keyStore(String alias, String san) throws IOException, InterruptedException {
        Path ks = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + alias + ", O=MailFerry tests", "-ext", "san=" + san,
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        return ks;
    }

    /**
     * Makes a trust store holding the certificates of the given key stores.
     *
     * @param name       file name
     * @param keyStores  key stores from {@link #keyStore}
     * @return the PKCS12 trust store file
     */
    Path trustStore(String name, Path... keyStores) throws IOException, InterruptedException {
        Path ts = dir.resolve(name + ".p12");
        for (Path ks : keyStores) {
            String alias = ks.getFileName().toString().replace(".p12", "");
            Path cer = dir.resolve(alias + ".cer");
            keytool("-exportcert", "-alias", alias, "-keystore", ks.toString(), "-storepass", PASSWORD,
                    "-file", cer.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", cer.toString(), "-keystore", ts.toString(),
                    "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return ts;
    }

    /**
     * @param keyStore a key store from {@link #keyStore}
     * @return a server TLS context presenting its certificate
     */
    static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
