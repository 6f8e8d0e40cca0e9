package io.mailferry.cli.internal;

import io.mailferry.core.MigrationUser;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints the per-user result table at the end of a run. */
final class UserTable {
    private UserTable() {
    }

    static void print(PrintWriter out, List<MigrationUser> users) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"EmailAddress", "Status", "Synced", "Skipped", "Data", "Folders", "Error"});
        for (MigrationUser u : users) {
            var s = u.statistics();
            rows.add(new String[]{u.emailAddress(), u.status().displayName(), Long.toString(s.syncedItemCount()),
                    Long.toString(s.skippedItemCount()), Format.bytes(s.bytesTransferred()),
                    Integer.toString(s.folderCount()), u.error() == null ? "" : oneLine(u.error())});
        }
        int[] width = new int[7];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean numeric = i >= 2 && i <= 5;
                String cell = r[i];
                if (i == r.length - 1) {
                    sb.append(cell);
                } else if (numeric) {
                    sb.append(" ".repeat(width[i] - cell.length())).append(cell).append("  ");
                } else {
                    sb.append(cell).append(" ".repeat(width[i] - cell.length())).append("  ");
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    private static String oneLine(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
