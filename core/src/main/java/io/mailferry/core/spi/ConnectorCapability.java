package io.mailferry.core.spi;

/**
 * Optional features of a connected server that change how the engine works. IMAP connectors
 * report the matching IMAP capabilities; other connectors report what they emulate.
 */
public enum ConnectorCapability {
    /** Appends report the new message's UID (RFC 4315 {@code APPENDUID}). */
    UIDPLUS,
    /** Messages carry MODSEQs; flag changes can be asked for since a MODSEQ (RFC 7162). */
    CONDSTORE,
    /** Quick resynchronisation, including expunged UIDs (RFC 7162). */
    QRESYNC,
    /** Several messages stored in one command and one transaction (RFC 3502). */
    MULTIAPPEND,
    /** Non-synchronising literals: no round trip per message (RFC 7888). */
    LITERAL_PLUS,
    /** Folders carry RFC 6154 special-use attributes. */
    SPECIAL_USE,
    /** Folders can be created with a special-use attribute (RFC 6154 {@code CREATE-SPECIAL-USE}). */
    CREATE_SPECIAL_USE,
    /** Messages with NUL and other binary content can be appended verbatim (RFC 3516). */
    BINARY,
    /** Messages can be moved server-side (RFC 6851). */
    MOVE,
    /** The server reports its namespaces (RFC 2342). */
    NAMESPACE,
    /**
     * A source lists messages with {@link MessageInfo#crossFolderId()}: one stored message shown in
     * several folders (Gmail's labels, {@code X-GM-EXT-1}'s {@code X-GM-MSGID}) carries the same
     * id in each. With the source endpoint's
     * {@link io.mailferry.core.MigrationEndpoint#SKIP_CROSS_DUPLICATES} the engine copies such a
     * message once per mailbox instead of once per folder.
     */
    CROSS_FOLDER_IDENTITY,
    /**
     * A target keeps one stored message shown in several folders (Gmail's labels,
     * {@code X-GM-EXT-1}'s {@code X-GM-LABELS}): {@link TargetMailbox#addLabels} makes messages of
     * one folder also appear in another without storing them again. With a source that reports
     * {@link #CROSS_FOLDER_IDENTITY} and {@link io.mailferry.core.MigrationEndpoint#SKIP_CROSS_DUPLICATES},
     * the engine copies a message under several labels once and adds the other folders to that copy.
     */
    FOLDER_LABELS
}
