package io.mailferry.core;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * A command was given to a batch in a status that does not accept it, e.g. {@code complete} on a
 * {@code Created} batch. The message names the batch, its status and the commands it accepts.
 */
public class IllegalBatchCommandException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String batchName;
    private final BatchStatus status;
    private final BatchCommand command;

    /**
     * @param batchName the batch, not {@code null}
     * @param status    its current status, not {@code null}
     * @param command   the rejected command, not {@code null}
     */
    public IllegalBatchCommandException(String batchName, BatchStatus status, BatchCommand command) {
        super(message(batchName, status, command));
        this.batchName = batchName;
        this.status = status;
        this.command = command;
    }

    private static String message(String batchName, BatchStatus status, BatchCommand command) {
        Set<BatchCommand> allowed = status.allowedCommands();
        String list = allowed.isEmpty() ? "none (wait until it settles)"
                : allowed.stream().map(BatchCommand::displayName).collect(Collectors.joining(", "));
        return "Batch '" + batchName + "' is " + status.displayName() + " and cannot " + command.displayName()
                + "; commands allowed in this status: " + list;
    }

    /** Returns the batch's name. */
    public String batchName() {
        return batchName;
    }

    /** Returns the batch's status when the command was rejected. */
    public BatchStatus status() {
        return status;
    }

    /** Returns the rejected command. */
    public BatchCommand command() {
        return command;
    }

    /** Returns the commands the batch accepts in its status. */
    public Set<BatchCommand> allowedCommands() {
        return status.allowedCommands();
    }
}
