package io.mailferry.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A migration batch: a set of mailboxes moved together from one endpoint to another, with one
 * lifecycle ({@link BatchStatus}). Created with {@link MigrationService#newBatch(String)}; the
 * service keeps it until it is removed.
 *
 * <p>Methods that read ({@link #status()}, {@link #users()}, {@link #statistics()}) return
 * immutable snapshots and never block on running copies. Commands ({@link #start()},
 * {@link #syncNow()}) return as soon as the work is scheduled; watch progress with
 * {@link #awaitStatus} or a {@link MigrationListener}. A command the batch's status does not allow
 * throws {@link IllegalBatchCommandException} (see {@link BatchStatus#allowedCommands()}).
 *
 * <p>Thread-safe.
 */
public interface MigrationBatch {

    /** Maximum length of a batch name, as in Exchange's {@code New-MigrationBatch -Name}. */
    int MAX_NAME_LENGTH = 64;

    /** Returns the batch's unique name. */
    String name();

    /** Returns the endpoint mail is copied from, as currently configured. */
    MigrationEndpoint sourceEndpoint();

    /** Returns the endpoint mail is copied to, as currently configured. */
    MigrationEndpoint targetEndpoint();

    /** Returns the batch's options. */
    BatchOptions options();

    /** Returns the batch's current status. */
    BatchStatus status();

    /** Returns the batch's counts and times. */
    MigrationBatchStatistics statistics();

    /** Returns a snapshot of every user, in the order they were added. */
    List<MigrationUser> users();

    /**
     * @param emailAddress a user's e-mail address (case-insensitive)
     * @return the user's snapshot, if the batch has that user
     */
    Optional<MigrationUser> user(String emailAddress);

    /**
     * @param emailAddress a user's e-mail address (case-insensitive)
     * @return the messages skipped for that user, oldest first; empty for an unknown user
     */
    List<SkippedItem> skippedItems(String emailAddress);

    /**
     * Starts the batch ({@code Start-MigrationBatch}). From {@code Created} or {@code Stopped} every
     * user that is not yet synced is queued for initial sync; from {@code Failed},
     * {@code SyncedWithErrors} or {@code CompletedWithErrors} only the failed users are retried.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#START}
     */
    void start();

    /**
     * Runs an incremental pass now for every synced user ({@code Set-MigrationBatch -SyncNow}):
     * new messages are copied and flags of copied messages are brought up to date. Failed users
     * are not retried (use {@link #start()}).
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#SYNC_NOW}
     */
    void syncNow();

    /**
     * Adds users ({@code Set-MigrationBatch -AddUsers}). Rows whose e-mail address the batch
     * already has are not added again, but their credentials replace the ones the service holds
     * (so a host that restarted can hand the passwords back). New users are queued at once if the
     * batch is syncing, or synced (it goes back to {@code Syncing} for them); otherwise they wait
     * for the next {@link #start()}.
     *
     * @param users the rows, not {@code null}
     * @return the users actually added
     * @throws IllegalBatchCommandException    if the status does not allow {@link BatchCommand#ADD_USERS}
     * @throws InvalidBatchDefinitionException if a new user already belongs to another batch
     */
    List<MigrationUser> addUsers(Collection<MigrationUserEntry> users);

    /**
     * Adds users as {@link #addUsers(Collection)}, with settings that override the batch's for some of
     * them (the CSV's {@code BadItemLimit} and {@code LargeItemLimit} cells). For a user the batch
     * already has, an entry in {@code overrides} replaces the overrides the service holds, and no
     * entry keeps them; so this also hands overrides back after a restart of the service.
     *
     * <p>The default implementation accepts only an empty map; the service's batches implement it.
     *
     * @param users     the rows, not {@code null}
     * @param overrides settings by e-mail address (matched ignoring case), each of a user in
     *                  {@code users}; not {@code null}
     * @return the users actually added
     * @throws IllegalBatchCommandException    if the status does not allow {@link BatchCommand#ADD_USERS}
     * @throws InvalidBatchDefinitionException if a new user already belongs to another batch, or an
     *                                         override names no user of {@code users}
     */
    default List<MigrationUser> addUsers(Collection<MigrationUserEntry> users,
                                         Map<String, MigrationUserOverrides> overrides) {
        if (!overrides.isEmpty()) {
            throw new UnsupportedOperationException("this batch does not take per-user overrides");
        }
        return addUsers(users);
    }

    /**
     * Waits until the batch's status satisfies a condition, e.g.
     * {@code batch.awaitStatus(Duration.ofMinutes(5), BatchStatus::isSettled)}.
     *
     * @param timeout   how long to wait at most
     * @param condition the condition on the status
     * @return {@code true} if the condition holds, {@code false} if the timeout passed first
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    boolean awaitStatus(Duration timeout, Predicate<BatchStatus> condition) throws InterruptedException;
}
