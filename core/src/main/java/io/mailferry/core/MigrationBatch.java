package io.mailferry.core;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A migration batch: a set of mailboxes moved together from one endpoint to another, with one
 * lifecycle ({@link BatchStatus}). Created with {@link MigrationService#newBatch(String)}; the
 * service keeps it (and its store persists it) until it is removed.
 *
 * <p>Methods that read ({@link #status()}, {@link #users()}, {@link #statistics()}) return
 * immutable snapshots and never block on running copies. Commands ({@link #start()},
 * {@link #stop()}, {@link #syncNow()}…) return as soon as the work is scheduled; watch progress
 * with {@link #awaitStatus} or a {@link MigrationListener}. A command the batch's status does not
 * allow throws {@link IllegalBatchCommandException} naming the status and the commands it allows
 * (see {@link BatchStatus#allowedCommands()}); a user command that the batch's or the user's
 * status does not allow throws {@link IllegalUserCommandException}.
 *
 * <p>Credentials: the service keeps passwords in memory only, never in its store. A batch loaded
 * from the store after a restart has none; its users wait (status Queued, or their last status,
 * with a {@link MigrationUser#statusDetail() status detail} naming what is missing) until the host
 * hands them back with {@link #addUsers} (the users' own passwords) or
 * {@link MigrationService#setEndpoint} (an endpoint's administrator password) — possible in every
 * status.
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
     * @return the messages skipped for that user, oldest first (folder, subject, date, size, kind,
     *         reason); empty for an unknown user
     */
    List<SkippedItem> skippedItems(String emailAddress);

    /**
     * Starts the batch ({@code Start-MigrationBatch}). From {@code Created} or {@code Stopped} every
     * user that is not synced is queued (users stopped after initial sync get an incremental
     * pass); from {@code Failed}, {@code SyncedWithErrors} or {@code CompletedWithErrors} only the
     * failed users (and users added since) are retried, and in {@code CompletedWithErrors} they
     * are completed. If the batch's StartAfter has not come, the batch waits in {@code Waiting}
     * until the clock passes it.
     *
     * <p>Allowed in Created, Stopped, Failed, SyncedWithErrors, CompletedWithErrors.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#START}
     */
    void start();

    /**
     * Stops the batch ({@code Stop-MigrationBatch}): {@code Stopping}, then {@code Stopped} once
     * active copies have stopped. A running copy stops between two chunks of messages (at most
     * one chunk, 100 messages or 8 MB by default, after the command) and closes its connections;
     * what it copied is checkpointed, so a later {@link #start()} resumes without copying anything
     * twice. Queued users become Stopped; synced users stay Synced, but get no incremental passes
     * until the batch is started again.
     *
     * <p>Allowed in Waiting, Starting, Syncing, Synced, SyncedWithErrors, IncrementalSyncing.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#STOP}
     */
    void stop();

    /**
     * Completes the batch ({@code Complete-MigrationBatch}): {@code Completing}, a final
     * incremental pass for every synced user (Completing → CompletionSynced → Completed, or
     * CompletedWithWarnings if it has skipped items, or CompletionFailed), then {@code Completed},
     * or {@code CompletedWithErrors} if a user failed. Users that never synced stay as they are
     * and make the result CompletedWithErrors.
     *
     * <p>Allowed in Synced, SyncedWithErrors.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#COMPLETE}
     */
    void complete();

    /**
     * Removes the batch ({@code Remove-MigrationBatch}): {@code Removing}, then gone — the service
     * forgets it and its store deletes the batch with its users and skipped items. Folder
     * checkpoints are kept (they belong to mailboxes), so migrating a user again in a new batch
     * copies nothing twice.
     *
     * <p>Allowed in Created, Waiting, Synced, SyncedWithErrors, Stopped, Completed,
     * CompletedWithErrors, Failed, Corrupted.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#REMOVE}
     */
    void remove();

    /**
     * Runs an incremental pass now for every synced user ({@code Set-MigrationBatch -SyncNow}):
     * new messages are copied and flags of copied messages are brought up to date. Users whose
     * last incremental pass failed are included; users that never synced are not (use
     * {@link #start()}).
     *
     * <p>Allowed in Synced, SyncedWithErrors.
     *
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#SYNC_NOW}
     */
    void syncNow();

    /**
     * Adds users ({@code Set-MigrationBatch -AddUsers}). Rows whose e-mail address the batch
     * already has are not added again, but their credentials replace the ones the service holds,
     * and users waiting for credentials continue: this part is allowed in every status. New users
     * are queued at once if the batch is syncing or synced (a synced batch goes back to
     * {@code Syncing} for them); otherwise they wait for the next {@link #start()}.
     *
     * <p>Adding new users is allowed in Created, Waiting, Syncing, Synced, SyncedWithErrors,
     * IncrementalSyncing, Stopped, Failed.
     *
     * @param users the rows, not {@code null}
     * @return the users actually added
     * @throws IllegalBatchCommandException    if there are new users and the status does not allow
     *                                         {@link BatchCommand#ADD_USERS}
     * @throws InvalidBatchDefinitionException if a new user already belongs to another batch
     */
    List<MigrationUser> addUsers(Collection<MigrationUserEntry> users);

    /**
     * Changes the batch's options ({@code Set-MigrationBatch}): limits, notification addresses,
     * StartAfter, CompleteAfter, report and incremental intervals, folder filters, priority. The
     * new options apply from the next pass (folder filters, limits) or at once (schedules: a
     * Waiting batch waits for the new StartAfter, a synced batch completes at the new
     * CompleteAfter).
     *
     * <p>Allowed in Created, Waiting, Syncing, Synced, SyncedWithErrors, IncrementalSyncing,
     * Stopped, Failed.
     *
     * @param change changes a builder pre-filled with the current options, not {@code null}
     * @return the new options
     * @throws IllegalBatchCommandException if the status does not allow {@link BatchCommand#SET}
     * @throws IllegalArgumentException     if a new value is invalid (nothing is changed then)
     */
    BatchOptions set(UnaryOperator<BatchOptions.Builder> change);

    /**
     * Starts one user ({@code Start-MigrationUser}): resumes a stopped user (Stopped,
     * IncrementalStopped) or retries a failed one (Failed, IncrementalFailed, CompletionFailed).
     * The user goes to {@code Starting}; a batch at rest goes back to running for it.
     *
     * @param emailAddress the user (case-insensitive), not {@code null}
     * @throws NoSuchUserException          if the batch has no such user
     * @throws IllegalUserCommandException  if the batch's or the user's status does not allow
     *                                      {@link UserCommand#START}
     */
    void startUser(String emailAddress);

    /**
     * Stops one user ({@code Stop-MigrationUser}): a running copy stops as in {@link #stop()}
     * (Stopping, then Stopped, or IncrementalStopped if initial sync was done); a queued user
     * becomes Stopped; a synced user becomes IncrementalStopped and gets no more incremental
     * passes until started.
     *
     * @param emailAddress the user (case-insensitive), not {@code null}
     * @throws NoSuchUserException          if the batch has no such user
     * @throws IllegalUserCommandException  if the batch's or the user's status does not allow
     *                                      {@link UserCommand#STOP}
     */
    void stopUser(String emailAddress);

    /**
     * Runs an incremental pass of one synced user now ({@code Set-MigrationUser -SyncNow}).
     *
     * @param emailAddress the user (case-insensitive), not {@code null}
     * @throws NoSuchUserException          if the batch has no such user
     * @throws IllegalUserCommandException  if the batch's or the user's status does not allow
     *                                      {@link UserCommand#SYNC_NOW}
     */
    void syncUserNow(String emailAddress);

    /**
     * Removes one user from the batch ({@code Remove-MigrationUser}): {@code Removing}, then gone,
     * with its statistics and skipped items. Its folder checkpoints are kept, so adding it again
     * (here or in another batch) copies nothing twice.
     *
     * @param emailAddress the user (case-insensitive), not {@code null}
     * @throws NoSuchUserException          if the batch has no such user
     * @throws IllegalUserCommandException  if the batch's or the user's status does not allow
     *                                      {@link UserCommand#REMOVE}
     */
    void removeUser(String emailAddress);

    /**
     * Changes one user's own settings ({@code Set-MigrationUser}): StartAfter, CompleteAfter,
     * BadItemLimit, LargeItemLimit, which override the batch's. A queued user waits for its new
     * StartAfter; a synced user is completed at its CompleteAfter.
     *
     * @param emailAddress the user (case-insensitive), not {@code null}
     * @param change       changes the current overrides, not {@code null}
     * @return the user's snapshot afterwards
     * @throws NoSuchUserException          if the batch has no such user
     * @throws IllegalUserCommandException  if the batch's or the user's status does not allow
     *                                      {@link UserCommand#SET}
     */
    MigrationUser setUser(String emailAddress, UnaryOperator<UserOverrides> change);

    /**
     * Waits until the batch's status satisfies a condition, e.g.
     * {@code batch.awaitStatus(Duration.ofMinutes(5), BatchStatus::isSettled)}. Real time, not the
     * service's clock.
     *
     * @param timeout   how long to wait at most
     * @param condition the condition on the status
     * @return {@code true} if the condition holds, {@code false} if the timeout passed first
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    boolean awaitStatus(Duration timeout, Predicate<BatchStatus> condition) throws InterruptedException;

    /**
     * Waits until the batch's users satisfy a condition, e.g. until one of them is Syncing. Real
     * time, not the service's clock.
     *
     * @param timeout   how long to wait at most
     * @param condition the condition on a snapshot of the users
     * @return {@code true} if the condition holds, {@code false} if the timeout passed first
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    boolean awaitUsers(Duration timeout, Predicate<List<MigrationUser>> condition) throws InterruptedException;
}
