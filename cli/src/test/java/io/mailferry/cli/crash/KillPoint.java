package io.mailferry.cli.crash;

import java.util.Locale;

/**
 * Where a {@link CrashChild} kills itself with SIGKILL: at the {@code n}-th IMAP command of a kind
 * seen by its {@link KillingImapProxy}, and for a body fetch after {@code responses} of its FETCH
 * responses went through.
 *
 * @param kind      which command
 * @param n         the how-manieth command of that kind in this process, from 1
 * @param responses for {@link Kind#FETCH}: after how many FETCH responses of it; else 0
 */
public record KillPoint(Kind kind, int n, int responses) {

    /** The moments a process can die at. */
    public enum Kind {
        /** During a {@code UID FETCH … BODY.PEEK[]} of the source: some bodies arrived, the rest not. */
        FETCH,
        /** An {@code APPEND} to the target was about to be sent: the messages are in flight, none arrived. */
        APPEND_SENT,
        /**
         * Between APPEND and checkpoint: the target stored the messages and answered OK, the answer
         * never reached the engine.
         */
        APPEND_STORED,
        /** During folder creation: the target created the folder, the engine never learnt it. */
        CREATE,
        /** During a flag update: the target changed the flags, the engine never learnt it. */
        STORE;

        /** Which proxy sees it. */
        boolean onSource() {
            return this == FETCH;
        }
    }

    /** Parses what {@link #toString()} writes, e.g. {@code APPEND_STORED:3:0}. */
    public static KillPoint parse(String text) {
        String[] p = text.split(":");
        return new KillPoint(Kind.valueOf(p[0].toUpperCase(Locale.ROOT)), Integer.parseInt(p[1]),
                p.length > 2 ? Integer.parseInt(p[2]) : 0);
    }

    @Override
    public String toString() {
        return kind + ":" + n + ":" + responses;
    }
}
