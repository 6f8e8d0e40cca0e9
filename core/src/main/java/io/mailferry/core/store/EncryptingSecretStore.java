package io.mailferry.core.store;

import io.mailferry.core.MigrationException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SecretStore} that keeps secrets in a {@link MigrationStore}, each sealed with AES-GCM
 * (NIST SP 800-38D) under a key the host provides: what an administrator gets by giving MailFerry
 * an encryption key instead of a vault. The store sees only sealed bytes; without the key they
 * are noise, and a sealed secret moved to another name, or changed in any bit, is refused.
 *
 * <pre>{@code
 * SecretKey key = EncryptingSecretStore.key(Base64.getDecoder().decode(System.getenv("MAILFERRY_KEY")));
 * MigrationStore store = JdbcMigrationStore.h2File(stateDir);
 * MigrationService service = MigrationService.builder()
 *         .store(store)
 *         .secretStore(EncryptingSecretStore.create(store, key))
 *         .build();
 * }</pre>
 *
 * <p>Sealed form: one version byte (1), a random 12-byte nonce, then the UTF-8 secret encrypted
 * with a 128-bit tag; the additional authenticated data is {@code mailferry-secret/1/} followed by
 * the secret's name. A new nonce is drawn for every {@link #put}.
 *
 * <p>Thread-safe.
 */
public final class EncryptingSecretStore implements SecretStore {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AAD_PREFIX = "mailferry-secret/1/";

    private final MigrationStore store;
    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private EncryptingSecretStore(MigrationStore store, SecretKey key) {
        this.store = store;
        this.key = key;
    }

    /**
     * Creates a secret store sealing into a migration store.
     *
     * @param store where the sealed secrets go; it must hold sealed secrets
     *              ({@link InMemoryMigrationStore} and the JDBC store do)
     * @param key   an AES key of 128, 192 or 256 bits
     * @return the secret store
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if the key is not an AES key of a valid length
     */
    public static EncryptingSecretStore create(MigrationStore store, SecretKey key) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || encoded == null
                || (encoded.length != 16 && encoded.length != 24 && encoded.length != 32)) {
            throw new IllegalArgumentException("the key must be an AES key of 128, 192 or 256 bits");
        }
        return new EncryptingSecretStore(store, key);
    }

    /**
     * Returns a new random 256-bit AES key.
     *
     * @return the key
     */
    public static SecretKey newKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return key(raw);
    }

    /**
     * Wraps raw key bytes.
     *
     * @param raw 16, 24 or 32 bytes
     * @return the AES key
     * @throws IllegalArgumentException if the length is wrong
     */
    public static SecretKey key(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
            throw new IllegalArgumentException("an AES key has 16, 24 or 32 bytes, not " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /**
     * Reads a key written as Base64 (e.g. {@code openssl rand -base64 32}).
     *
     * @param base64 the key in Base64
     * @return the AES key
     * @throws IllegalArgumentException if it is not Base64 or not 16, 24 or 32 bytes long
     */
    public static SecretKey keyFromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid Base64");
        }
        try {
            return key(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    @Override
    public void put(String name, String secret) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, name);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
            out.put(VERSION).put(nonce).put(sealed);
            store.saveSealedSecret(name, out.array());
        } catch (GeneralSecurityException e) {
            throw new MigrationException("Could not seal secret '" + name + "': " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public Optional<String> get(String name) {
        Objects.requireNonNull(name, "name");
        Optional<byte[]> sealed = store.sealedSecret(name);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = sealed.get();
        if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8 || bytes[0] != VERSION) {
            throw new MigrationException("Secret '" + name + "' in the store is not sealed by this MailFerry");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(bytes, 1, 1 + NONCE_BYTES), name);
            byte[] plain = cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
            try {
                return Optional.of(new String(plain, StandardCharsets.UTF_8));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new MigrationException("Could not unseal secret '" + name + "': it was sealed with another key,"
                    + " under another name, or altered", e);
        } catch (GeneralSecurityException e) {
            throw new MigrationException("Could not unseal secret '" + name + "': " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void delete(String name) {
        store.deleteSealedSecret(Objects.requireNonNull(name, "name"));
    }

    private Cipher cipher(int mode, byte[] nonce, String name) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((AAD_PREFIX + name).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "EncryptingSecretStore[AES-GCM, " + store + "]";
    }
}
