package io.mailferry.ews.fake;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fake Exchange organisation behind a {@link FakeEwsServer}: mailboxes and the accounts that
 * may log in (with their passwords, mailbox and ApplicationImpersonation right). Thread-safe: all
 * state is guarded by this object's lock.
 */
public final class FakeExchange {

    /**
     * An account.
     *
     * @param login         the login as sent (e.g. {@code CONTOSO\migrator} or a UPN)
     * @param password      its password, or for {@code bearer} its token
     * @param mailbox       its own mailbox address, or {@code null}
     * @param impersonation whether it holds ApplicationImpersonation
     */
    public record Account(String login, String password, String mailbox, boolean impersonation) {
    }

    private final Map<String, FakeMailbox> mailboxes = new LinkedHashMap<>();
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private long ids;
    long folderVersion;
    /** Largest MIME size CreateItem accepts (ErrorMessageSizeExceeded above), 0 for none. */
    long maxMessageSize;
    /** Added to the MIME length in {@code item:Size}. */
    int itemSizeOverhead;

    /**
     * @param address an SMTP address
     * @return the mailbox, created empty if new
     */
    public synchronized FakeMailbox mailbox(String address) {
        return mailboxes.computeIfAbsent(address.toLowerCase(Locale.ROOT), a -> new FakeMailbox(this, address));
    }

    /**
     * @param address an SMTP address
     * @return the mailbox, if it exists
     */
    public synchronized Optional<FakeMailbox> findMailbox(String address) {
        return Optional.ofNullable(mailboxes.get(address.toLowerCase(Locale.ROOT)));
    }

    /** Adds a user: login = address, own mailbox. */
    public synchronized FakeExchange user(String address, String password) {
        mailbox(address);
        accounts.put(address.toLowerCase(Locale.ROOT), new Account(address, password, address, false));
        return this;
    }

    /** Adds a service account with ApplicationImpersonation and no mailbox. */
    public synchronized FakeExchange serviceAccount(String login, String password) {
        accounts.put(login.toLowerCase(Locale.ROOT), new Account(login, password, null, true));
        return this;
    }

    /** Adds an account without rights. */
    public synchronized FakeExchange account(Account account) {
        accounts.put(account.login().toLowerCase(Locale.ROOT), account);
        return this;
    }

    synchronized Optional<Account> account(String login) {
        return Optional.ofNullable(accounts.get(login.toLowerCase(Locale.ROOT)));
    }

    synchronized Optional<Account> accountByToken(String token) {
        return accounts.values().stream().filter(a -> a.password().equals(token)).findFirst();
    }

    /**
     * Makes {@code item:Size} the MIME length plus {@code bytes}: a real Exchange reports an item's
     * size in its store (properties included), not the length of the MIME it renders.
     */
    public synchronized FakeExchange itemSizeOverhead(int bytes) {
        this.itemSizeOverhead = bytes;
        return this;
    }

    /** Sets the largest message CreateItem accepts, 0 for no limit. */
    public synchronized void maxMessageSize(long bytes) {
        this.maxMessageSize = bytes;
    }

    synchronized String newId(String kind) {
        long n = ++ids;
        String raw = "mf-fake-" + kind + "-" + n + "-" + Long.toHexString(n * 0x9E3779B97F4A7C15L);
        return "AAMkAD" + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }
}
