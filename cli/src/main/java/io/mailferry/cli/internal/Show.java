package io.mailferry.cli.internal;

import io.mailferry.core.BatchOptions;
import io.mailferry.core.FolderPattern;
import io.mailferry.core.MigrationBatch;
import io.mailferry.core.MigrationBatchStatistics;
import io.mailferry.core.MigrationEndpoint;
import io.mailferry.core.MigrationUser;
import io.mailferry.core.MigrationUserStatistics;
import io.mailferry.core.ServerAvailability;
import io.mailferry.core.SkippedItem;
import io.mailferry.core.UserOverrides;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** How the {@code get} commands print batches, users and endpoints: aligned text, never a password. */
final class Show {
    private Show() {
    }

    static void table(PrintWriter out, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    static void batches(PrintWriter out, List<MigrationBatch> batches) {
        if (batches.isEmpty()) {
            out.println("No batches.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Status", "Total", "Active", "Synced", "Finalized", "Stopped", "Failed",
                "Source", "Target", "Created"});
        for (MigrationBatch b : batches) {
            MigrationBatchStatistics s = b.statistics();
            rows.add(new String[] {b.name(), b.status().displayName(), n(s.totalCount()), n(s.activeCount()),
                    n(s.syncedCount()), n(s.finalizedCount()), n(s.stoppedCount()), n(s.failedCount()),
                    b.sourceEndpoint().name(), b.targetEndpoint().name(), time(s.creationTime())});
        }
        table(out, rows);
    }

    static void batch(PrintWriter out, MigrationBatch b) {
        MigrationBatchStatistics s = b.statistics();
        BatchOptions o = b.options();
        List<String[]> rows = new ArrayList<>();
        rows.add(kv("Name", b.name()));
        rows.add(kv("Status", b.status().displayName()));
        rows.add(kv("Allowed commands", b.status().allowedCommands().stream()
                .map(c -> c.displayName()).collect(Collectors.joining(", "))));
        rows.add(kv("Source endpoint", b.sourceEndpoint().name()));
        rows.add(kv("Target endpoint", b.targetEndpoint().name()));
        rows.add(kv("Users", s.totalCount() + " total, " + s.activeCount() + " active (" + s.pendingCount()
                + " pending), " + s.syncedCount() + " synced, " + s.finalizedCount() + " finalized, "
                + s.stoppedCount() + " stopped, " + s.failedCount() + " failed"));
        rows.add(kv("Items", s.syncedItemCount() + " synced, " + s.skippedItemCount() + " skipped, "
                + Format.bytes(s.bytesTransferred())));
        rows.add(kv("Created", time(s.creationTime()) + (s.createdBy() == null ? "" : " by " + s.createdBy())));
        rows.add(kv("Started", time(s.startTime())));
        rows.add(kv("Initial sync", time(s.initialSyncTime()) + (s.initialSyncDuration() == null ? ""
                : " (" + Format.duration(s.initialSyncDuration()) + ")")));
        rows.add(kv("Last synced", time(s.lastSyncedTime())));
        rows.add(kv("Completed", time(s.completedTime())));
        rows.add(kv("AutoStart / AutoComplete", o.autoStart() + " / " + o.autoComplete()));
        rows.add(kv("StartAfter", time(o.startAfter())));
        rows.add(kv("CompleteAfter", time(o.completeAfter())));
        rows.add(kv("Incremental syncs", o.allowIncrementalSyncs() ? "every " + Format.duration(o.incrementalSyncInterval())
                : "off"));
        rows.add(kv("BadItemLimit / LargeItemLimit", o.badItemLimit() + " / " + o.largeItemLimit()));
        rows.add(kv("Max message size", o.maxMessageSize() == 0 ? "no limit" : Format.bytes(o.maxMessageSize())));
        rows.add(kv("IncludeFolders", patterns(o.includeFolders())));
        rows.add(kv("ExcludeFolders", patterns(o.excludeFolders())));
        rows.add(kv("Received after / before", time(o.receivedAfter()) + " / " + time(o.receivedBefore())));
        rows.add(kv("NotificationEmails", o.notificationEmails().isEmpty() ? "-" : String.join(", ", o.notificationEmails())));
        rows.add(kv("ReportInterval", o.reportInterval().isZero() ? "never" : Format.duration(o.reportInterval())));
        rows.add(kv("Priority", o.priority().name().toLowerCase(java.util.Locale.ROOT)));
        rows.add(kv("Last report e-mail", b.lastNotification().map(n -> time(n.time()) + " '" + n.subject() + "': "
                + (n.isSent() ? "sent" : "NOT SENT: " + n.error())).orElse("-")));
        table(out, rows);
    }

    static void users(PrintWriter out, List<MigrationUser> users) {
        if (users.isEmpty()) {
            out.println("No users.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"EmailAddress", "Batch", "Status", "Stage", "Synced", "Skipped", "Data", "%",
                "Last sync", "Error / detail"});
        for (MigrationUser u : users) {
            MigrationUserStatistics s = u.statistics();
            String note = u.error() != null ? u.error() : u.statusDetail() != null ? u.statusDetail() : "";
            rows.add(new String[] {u.emailAddress(), u.batchName(), u.status().displayName(), u.stage().name(),
                    n(s.syncedItemCount()), n(s.skippedItemCount()), Format.bytes(s.bytesTransferred()),
                    n(s.percentageComplete()), time(s.lastSuccessfulSyncTime()), oneLine(note)});
        }
        table(out, rows);
    }

    static void user(PrintWriter out, MigrationUser u, List<SkippedItem> skipped, boolean listSkipped) {
        MigrationUserStatistics s = u.statistics();
        UserOverrides o = u.overrides();
        List<String[]> rows = new ArrayList<>();
        rows.add(kv("EmailAddress", u.emailAddress()));
        rows.add(kv("Batch", u.batchName()));
        rows.add(kv("Source login", u.sourceUserName()));
        rows.add(kv("Status", u.status().displayName() + " (" + u.status().summary().name().toLowerCase(java.util.Locale.ROOT)
                + ") since " + time(u.lastStatusChange())));
        rows.add(kv("Stage", u.stage().name()));
        if (u.statusDetail() != null) {
            rows.add(kv("Detail", u.statusDetail()));
        }
        if (u.error() != null) {
            rows.add(kv("Error", u.error()));
        }
        rows.add(kv("TotalItemsInSourceMailboxCount", n(s.totalItemsInSourceMailboxCount())));
        rows.add(kv("SyncedItemCount", n(s.syncedItemCount())));
        rows.add(kv("SkippedItemCount", n(s.skippedItemCount())));
        rows.add(kv("FilteredItemCount", n(s.filteredItemCount())));
        rows.add(kv("BytesTransferred", Format.bytes(s.bytesTransferred())));
        rows.add(kv("EstimatedTotalTransferSize", Format.bytes(s.estimatedTotalTransferSize())));
        rows.add(kv("PercentageComplete", s.percentageComplete() + " %"));
        rows.add(kv("Folders", s.folderCount() + " synced, " + s.foldersCreated() + " created"));
        rows.add(kv("Flags updated", n(s.flagsUpdatedCount())));
        rows.add(kv("Last successful sync", time(s.lastSuccessfulSyncTime())));
        rows.add(kv("Queued / in progress", Format.duration(s.totalQueuedDuration()) + " / "
                + Format.duration(s.totalInProgressDuration())));
        rows.add(kv("Synced / stalled", Format.duration(s.totalSyncedDuration()) + " / "
                + Format.duration(s.totalStalledDuration())));
        rows.add(kv("Own StartAfter / CompleteAfter", time(o.startAfter()) + " / " + time(o.completeAfter())));
        rows.add(kv("Own BadItemLimit / LargeItemLimit", (o.badItemLimit() == null ? "-" : o.badItemLimit().toString())
                + " / " + (o.largeItemLimit() == null ? "-" : o.largeItemLimit().toString())));
        rows.add(kv("Allowed commands", u.status().allowedCommands().stream().map(c -> c.displayName())
                .collect(Collectors.joining(", "))));
        table(out, rows);
        if (listSkipped && !skipped.isEmpty()) {
            out.println();
            List<String[]> items = new ArrayList<>();
            items.add(new String[] {"Folder", "Date", "Size", "Kind", "Subject", "Reason"});
            for (SkippedItem i : skipped) {
                items.add(new String[] {i.folder(), time(i.date()), i.size() < 0 ? "?" : Format.bytes(i.size()),
                        i.kind().name(), i.subject() == null ? "" : oneLine(i.subject()), oneLine(i.reason())});
            }
            table(out, items);
        }
    }

    static void endpoints(PrintWriter out, List<MigrationEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            out.println("No endpoints.");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Type", "Server", "Security", "Authentication", "Administrator",
                "MaxConcurrentMigrations", "MaxConcurrentIncrementalSyncs"});
        for (MigrationEndpoint e : endpoints) {
            rows.add(new String[] {e.name(), e.type().name(), server(e), e.security().name(),
                    ImapEndpointSettings.authentication(e), e.admin().map(c -> c.username()).orElse("-"),
                    n(e.maxConcurrentMigrations()), n(e.maxConcurrentIncrementalSyncs())});
        }
        table(out, rows);
        if (endpoints.size() == 1 && !endpoints.get(0).properties().isEmpty()) {
            // one endpoint: its settings too (configuration only: no secret is ever a property)
            out.println();
            List<String[]> props = new ArrayList<>();
            endpoints.get(0).properties().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(p -> props.add(kv(p.getKey().equals(ImapEndpointSettings.TOKEN_COMMAND)
                            ? "OAuth token command" : p.getKey(), p.getValue())));
            table(out, props);
        }
    }

    /** The endpoint's server: host:port, or an Exchange endpoint's EWS URL or Autodiscover address when set. */
    static String server(MigrationEndpoint e) {
        String url = e.properties().get("ews.url");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if ("true".equalsIgnoreCase(e.properties().get("ews.autodiscover"))) {
            return "Autodiscover " + e.properties().getOrDefault("ews.autodiscover.emailAddress", e.host());
        }
        return e.host() + ":" + e.port();
    }

    static void availability(PrintWriter out, ServerAvailability r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(kv("Endpoint", r.endpointName()));
        rows.add(kv("Server", r.host() + ":" + r.port() + " (" + r.security() + ")"));
        rows.add(kv("Result", r.isSuccess() ? "Success" : "Failed: " + r.failure()));
        rows.add(kv("Reachable", String.valueOf(r.reachable())));
        rows.add(kv("TLS", String.valueOf(r.tls())));
        rows.add(kv("Authenticated", r.authenticationAttempted() ? String.valueOf(r.authenticated()) : "not tried"));
        rows.add(kv("Latency", r.latency() == null ? "-" : r.latency().toMillis() + " ms"));
        rows.add(kv("Capabilities", r.capabilities().isEmpty() ? "-" : String.join(" ", r.capabilities())));
        if (r.message() != null) {
            rows.add(kv("Message", r.message()));
        }
        table(out, rows);
    }

    private static String[] kv(String k, String v) {
        return new String[] {k + ":", v};
    }

    private static String patterns(List<FolderPattern> p) {
        return p.isEmpty() ? "-" : p.stream().map(FolderPattern::text).collect(Collectors.joining(", "));
    }

    static String time(Instant t) {
        return t == null ? "-" : t.toString();
    }

    static String duration(Duration d) {
        return d == null ? "-" : Format.duration(d);
    }

    private static String n(long v) {
        return Long.toString(v);
    }

    private static String oneLine(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 157) + "..." : one;
    }
}
