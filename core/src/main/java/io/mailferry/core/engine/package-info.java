/**
 * The sync engine. <strong>Internal:</strong> not part of the API; nothing outside core may use it,
 * and it changes without notice.
 *
 * <p>{@link io.mailferry.core.engine.MigrationEngine} owns batches
 * ({@link io.mailferry.core.engine.BatchRuntime}) and their users
 * ({@link io.mailferry.core.engine.UserRuntime}); {@link io.mailferry.core.engine.SlotScheduler}
 * starts users when both endpoints have a free slot; {@link io.mailferry.core.engine.UserSync} runs
 * one pass of one user: connect, map folders ({@link io.mailferry.core.engine.FolderMapper}), then
 * {@link io.mailferry.core.engine.FolderSync} per folder: copy what is new in chunks, recording each
 * chunk as in flight before its append and checkpointing it after, bring flags up to date. Where a
 * checkpoint cannot say what was copied, {@link io.mailferry.core.engine.ExistingCopies} recognises
 * the messages already on the target ({@link io.mailferry.core.engine.MessageFingerprint},
 * {@link io.mailferry.core.engine.MessageMatcher}). {@link io.mailferry.core.engine.SecretKeeper}
 * hands passwords to the host's secret store.
 */
package io.mailferry.core.engine;
