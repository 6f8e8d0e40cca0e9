package io.mailferry.core;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A command was given to a user in a status that does not accept it, or in a batch whose status
 * does not accept user commands of that kind (e.g. {@code sync-now} on a Failed user, or any user
 * command while the batch is Completing). The message names the user, the batch, both statuses and
 * the commands allowed.
 */
public class IllegalUserCommandException extends MigrationException {
    private static final long serialVersionUID = 1L;

    private final String batchName;
    private final String emailAddress;
    private final BatchStatus batchStatus;
    private final MigrationUserStatus userStatus;
    private final UserCommand command;

    /**
     * @param batchName    the batch, not {@code null}
     * @param emailAddress the user, not {@code null}
     * @param batchStatus  the batch's status, not {@code null}
     * @param userStatus   the user's status, not {@code null}
     * @param command      the rejected command, not {@code null}
     */
    public IllegalUserCommandException(String batchName, String emailAddress, BatchStatus batchStatus,
                                       MigrationUserStatus userStatus, UserCommand command) {
        super(message(batchName, emailAddress, batchStatus, userStatus, command));
        this.batchName = batchName;
        this.emailAddress = emailAddress;
        this.batchStatus = batchStatus;
        this.userStatus = userStatus;
        this.command = command;
    }

    private static String message(String batchName, String email, BatchStatus batchStatus,
                                  MigrationUserStatus userStatus, UserCommand command) {
        String why = !batchStatus.allowedUserCommands().contains(command)
                ? "batch '" + batchName + "' is " + batchStatus.displayName()
                : "the user is " + userStatus.displayName();
        Set<UserCommand> allowed = allowed(batchStatus, userStatus);
        String list = allowed.isEmpty() ? "none" : allowed.stream().map(UserCommand::displayName)
                .collect(Collectors.joining(", "));
        return "User " + email + " cannot " + command.displayName() + ": " + why + " (user " + userStatus.displayName()
                + " in batch " + batchStatus.displayName() + "); user commands allowed now: " + list;
    }

    private static Set<UserCommand> allowed(BatchStatus batchStatus, MigrationUserStatus userStatus) {
        EnumSet<UserCommand> set = EnumSet.noneOf(UserCommand.class);
        set.addAll(batchStatus.allowedUserCommands());
        set.retainAll(userStatus.allowedCommands());
        return set;
    }

    /** Returns the batch's name. */
    public String batchName() {
        return batchName;
    }

    /** Returns the user's e-mail address. */
    public String emailAddress() {
        return emailAddress;
    }

    /** Returns the batch's status when the command was rejected. */
    public BatchStatus batchStatus() {
        return batchStatus;
    }

    /** Returns the user's status when the command was rejected. */
    public MigrationUserStatus userStatus() {
        return userStatus;
    }

    /** Returns the rejected command. */
    public UserCommand command() {
        return command;
    }

    /** Returns the user commands both statuses allow. */
    public Set<UserCommand> allowedCommands() {
        return allowed(batchStatus, userStatus);
    }
}
