package io.mailferry.cli.internal;

import io.mailferry.core.EndpointType;
import io.mailferry.csv.CsvSchema;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * The format of a batch's users CSV ({@code --csv-type}). {@link #AUTO} follows the batch's source
 * endpoint: an IMAP source reads {@link CsvSchema#IMAP}; an Exchange source reads the EWS onboarding
 * format {@link CsvSchema#REMOTE} ({@code EmailAddress}, optional {@code BadItemLimit},
 * {@code LargeItemLimit}, {@code MailboxType}); the staged format ({@code EmailAddress, Password,
 * ForceChangePassword}) is chosen explicitly. The Exchange formats also take the optional
 * {@code TargetUserName}/{@code TargetPassword} columns ({@link CsvSchema#withTargetCredentials()}),
 * for targets without an administrator.
 */
enum CsvType {
    /** From the source endpoint's type. */
    AUTO,
    /** {@link CsvSchema#IMAP}. */
    IMAP,
    /** {@link CsvSchema#STAGED}, with target credentials. */
    STAGED,
    /** {@link CsvSchema#REMOTE}, with target credentials. */
    REMOTE;

    /**
     * @param source the batch's source endpoint type
     * @return the schema to read the CSV with
     */
    CsvSchema schema(EndpointType source) {
        return switch (this) {
            case IMAP -> CsvSchema.IMAP;
            case STAGED -> CsvSchema.STAGED.withTargetCredentials();
            case REMOTE -> CsvSchema.REMOTE.withTargetCredentials();
            case AUTO -> EndpointType.EXCHANGE.equals(source) ? REMOTE.schema(source) : CsvSchema.IMAP;
        };
    }

    /** {@code auto}, {@code imap}, {@code staged}, {@code remote} (or {@code ews}), any case. */
    static final class Converter implements CommandLine.ITypeConverter<CsvType> {
        @Override
        public CsvType convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "imap" -> IMAP;
                case "staged" -> STAGED;
                case "remote", "ews" -> REMOTE;
                default -> throw new TypeConversionException("use auto, imap, staged or remote, not '" + value + "'");
            };
        }
    }
}
