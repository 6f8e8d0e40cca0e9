package io.mailferry.core.engine;

import io.mailferry.core.FolderRole;
import io.mailferry.core.spi.FolderInfo;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides the target folder of every source folder, in layers; the first layer that applies wins:
 * <ol>
 *   <li>{@code INBOX} → {@code INBOX};</li>
 *   <li>the {@linkplain Rules#explicit() explicit map}: a source folder named there goes to the
 *       target path given (levels separated by {@code /});</li>
 *   <li>a source folder with an RFC 6154 special-use role (Sent, Drafts, Trash, Junk, Archive)
 *       → the target's folder with the same role, whatever it is called;</li>
 *   <li>a source folder without a role whose name is a well-known (often localized) name of a
 *       role folder — {@code Sent Items}, {@code Gesendete Elemente}, {@code Éléments envoyés},
 *       {@code Posta inviata}, {@code Enviados}, {@code 送信済みアイテム}… (see {@link #DICTIONARY}),
 *       at the top level or directly under INBOX — is treated as that role's folder: it goes to
 *       the target's folder of the role (the target's role folders are known by their special-use
 *       attributes only: taking a target folder's role from its name would change the mapping of
 *       earlier passes once the target announces its attributes). If the target already has a
 *       folder of exactly the source folder's name, the folder goes there instead, so a mapping
 *       never changes once a pass has created the folder;</li>
 *   <li>the {@linkplain Rules#regex() regular-expression rules}, tried in order on the source path
 *       (levels joined with {@code /}); the first that matches the whole path gives the target
 *       path ({@link java.util.regex.Matcher#replaceFirst} syntax, {@code $1}…);</li>
 *   <li>any other folder keeps its name, level by level, joined with the target's hierarchy
 *       separator. A level that contains the target's separator has it replaced by {@code _}
 *       (otherwise it would split into two levels); the mapping reports the rename.</li>
 * </ol>
 * Children of a folder mapped by layers 1–4 follow their parent. Virtual folders ({@code \All},
 * {@code \Flagged}, {@code \Important}, e.g. Gmail's All Mail) come last in the plan. A folder whose role has no
 * counterpart on the target keeps its name. Two source folders never share a target folder: a
 * collision gets a numbered suffix. Folders mapped by an earlier layer claim their targets first,
 * whatever the LIST order, so that the mapping cannot flip between passes.
 *
 * <p>Before mapping, the batch's {@link FolderFilter} (IncludeFolders/ExcludeFolders) chooses the
 * source folders: {@link #plan(List, List, FolderFilter, Rules)}. Its {@code #SentItems#}-style
 * patterns see the roles of the dictionary layer too (a folder named {@code Gesendete Elemente}
 * without a special-use attribute matches {@code #SentItems#}).
 */
final class FolderMapper {

    /** Roles whose folders are merged into the target's folder of the same role. */
    private static final Set<FolderRole> MAPPED_ROLES = EnumSet.of(FolderRole.SENT, FolderRole.DRAFTS,
            FolderRole.TRASH, FolderRole.JUNK, FolderRole.ARCHIVE);

    /**
     * Well-known names of role folders, lower case: the defaults of Outlook/Exchange, Gmail, Apple
     * Mail, Thunderbird, Dovecot/Roundcube and webmailers in English, German, French, Italian,
     * Spanish, Portuguese, Dutch, Swedish, Danish, Norwegian, Polish, Czech, Russian and Japanese.
     */
    static final Map<String, FolderRole> DICTIONARY = dictionary();

    private static Map<String, FolderRole> dictionary() {
        Map<String, FolderRole> d = new HashMap<>();
        words(d, FolderRole.SENT, "sent", "sent items", "sent messages", "sent mail", "sent-mail", "outbox sent",
                "gesendet", "gesendete elemente", "gesendete objekte", "gesendete nachrichten",
                "éléments envoyés", "elements envoyes", "envoyés", "messages envoyés", "posta inviata", "inviata",
                "elementi inviati", "enviados", "elementos enviados", "itens enviados", "mensagens enviadas",
                "verzonden", "verzonden items", "skickat", "skickade objekt", "sendt", "sendte elementer",
                "sendt post", "wysłane", "elementy wysłane", "odeslaná pošta", "odeslané", "отправленные",
                "送信済み", "送信済みアイテム", "送信済みメール");
        words(d, FolderRole.DRAFTS, "drafts", "draft", "entwürfe", "entwurf", "brouillons", "bozze", "borradores",
                "rascunhos", "concepten", "utkast", "kladder", "kladde", "wersje robocze", "koncepty", "черновики",
                "下書き");
        words(d, FolderRole.TRASH, "trash", "deleted items", "deleted messages", "bin", "papierkorb",
                "gelöschte elemente", "gelöschte objekte", "corbeille", "éléments supprimés", "cestino",
                "posta eliminata", "elementi eliminati", "papelera", "elementos eliminados", "lixeira", "lixo",
                "itens excluídos", "prullenbak", "verwijderde items", "papperskorgen", "borttagna objekt",
                "papirkurv", "slettede elementer", "kosz", "elementy usunięte", "koš", "odstraněná pošta",
                "корзина", "удаленные", "ごみ箱", "削除済みアイテム");
        words(d, FolderRole.JUNK, "junk", "junk e-mail", "junk email", "junk mail", "spam", "bulk mail",
                "junk-e-mail", "spamverdacht", "courrier indésirable", "indésirables", "posta indesiderata",
                "correo no deseado", "lixo eletrônico", "ongewenste e-mail", "skräppost", "uønsket e-post",
                "wiadomości-śmieci", "nevyžádaná pošta", "спам", "нежелательная почта", "迷惑メール");
        words(d, FolderRole.ARCHIVE, "archive", "archives", "archiv", "archivo", "archivio", "arquivo", "archief",
                "arkiv", "archiwum", "архив", "アーカイブ");
        return Map.copyOf(d);
    }

    private static void words(Map<String, FolderRole> d, FolderRole role, String... names) {
        for (String n : names) {
            d.put(n, role);
        }
    }

    /**
     * One regular-expression rule of the last mapping layer.
     *
     * @param pattern     matched against the whole source path, levels joined with {@code /}
     * @param replacement the target path, levels joined with {@code /}; {@code $1}… refer to groups
     */
    record RegexRule(Pattern pattern, String replacement) {
        RegexRule {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(replacement, "replacement");
        }
    }

    /**
     * The configurable layers.
     *
     * @param explicit       source folder name as listed → target path with {@code /} between levels
     * @param localizedNames whether the dictionary layer is used
     * @param regex          regular-expression rules, tried in order
     */
    record Rules(Map<String, String> explicit, boolean localizedNames, List<RegexRule> regex) {
        /** No explicit map, no rules, the dictionary on. */
        static final Rules DEFAULT = new Rules(Map.of(), true, List.of());

        Rules {
            explicit = Map.copyOf(explicit);
            regex = List.copyOf(regex);
        }
    }

    /**
     * One source folder and where it goes.
     *
     * @param source     the source folder
     * @param targetName full target folder name
     * @param note       why the name differs from the source name, or {@code null}
     */
    record Mapping(FolderInfo source, String targetName, String note) {
    }

    /**
     * The mapping of a mailbox.
     *
     * @param mappings        one per source folder: INBOX and folders mapped by the earlier layers
     *                        first, then the others, parents before children
     * @param targetSeparator the target's hierarchy separator
     * @param toCreate        target folders that do not exist yet, parents first
     */
    record Plan(List<Mapping> mappings, char targetSeparator, List<String> toCreate) {
    }

    private FolderMapper() {
    }

    /**
     * Maps the folders a filter selects; folders it leaves out are not copied (parents of
     * selected folders are still created, as not selectable).
     */
    static Plan plan(List<FolderInfo> source, List<FolderInfo> target, FolderFilter filter) {
        return plan(source, target, filter, Rules.DEFAULT);
    }

    /**
     * Maps the folders a filter selects with the given layers; the filter's role patterns see the
     * special-use roles and, if the dictionary layer is on, the roles of localized names.
     */
    static Plan plan(List<FolderInfo> source, List<FolderInfo> target, FolderFilter filter, Rules rules) {
        if (filter.isEmpty()) {
            return plan(source, target, rules);
        }
        FolderFilter withNames = filter.withRoles(f -> {
            FolderRole r = FolderFilter.defaultRole(f);
            return r == null && rules.localizedNames() ? dictionaryRole(f) : r;
        });
        return plan(withNames.apply(source), target, rules);
    }

    static Plan plan(List<FolderInfo> source, List<FolderInfo> target) {
        return plan(source, target, Rules.DEFAULT);
    }

    static Plan plan(List<FolderInfo> source, List<FolderInfo> target, Rules rules) {
        char tsep = separatorOf(target);
        Map<FolderRole, String> targetByRole = new EnumMap<>(FolderRole.class);
        Set<String> existing = new HashSet<>();
        for (FolderInfo f : target) {
            existing.add(f.isInbox() ? "INBOX" : f.name());
            if (f.role() != null && MAPPED_ROLES.contains(f.role()) && f.selectable()) {
                targetByRole.putIfAbsent(f.role(), f.name());
            }
        }
        // Prefixes mapped by role, map or INBOX: source name → target name, for their children.
        Map<String, String> anchors = new HashMap<>();
        Map<String, String> usedTargets = new HashMap<>();
        List<Mapping> mappings = new ArrayList<>();
        List<FolderInfo> ordered = new ArrayList<>(source);
        ordered.sort(Comparator.<FolderInfo>comparingInt(f -> rank(f, targetByRole, rules, existing))
                .thenComparingInt(f -> f.segments().size()));
        for (FolderInfo f : ordered) {
            String targetName = null;
            String note = null;
            FolderRole role = f.role() != null && MAPPED_ROLES.contains(f.role()) ? f.role()
                    : nameRole(f, rules, existing);
            String explicit = rules.explicit().get(f.name());
            if (f.isInbox()) {
                targetName = "INBOX";
                anchors.put(f.name(), "INBOX");
            } else if (explicit != null) {
                targetName = join(List.of(explicit.split("/", -1)), tsep, f.separator());
                anchors.put(f.name(), targetName);
                note = targetName.equals(f.name()) ? null : "explicit folder map";
            } else if (role != null && targetByRole.containsKey(role)
                    && !usedTargets.containsKey(targetByRole.get(role))) {
                targetName = targetByRole.get(role);
                anchors.put(f.name(), targetName);
                if (!targetName.equals(f.name())) {
                    note = f.role() != null ? "special-use " + role.attribute().orElse(role.name()) + " folder"
                            : "'" + f.name() + "' is a usual name of the " + role.attribute().orElse(role.name())
                            + " folder";
                }
            } else {
                String path = String.join("/", f.segments());
                for (RegexRule rule : rules.regex()) {
                    Matcher m = rule.pattern().matcher(path);
                    if (m.matches()) {
                        targetName = join(List.of(m.replaceFirst(rule.replacement()).split("/", -1)), tsep,
                                f.separator());
                        note = targetName.equals(f.name()) ? null : "folder rule " + rule.pattern().pattern();
                        break;
                    }
                }
            }
            if (targetName == null) {
                List<String> segs = f.segments();
                String base = null;
                int restFrom = 0;
                for (int k = segs.size() - 1; k >= 1; k--) {
                    String ancestor = String.join(String.valueOf(f.separator()), segs.subList(0, k));
                    String mapped = anchors.get(ancestor);
                    if (mapped == null && segs.get(0).equalsIgnoreCase("INBOX") && k == 1) {
                        mapped = "INBOX";
                    }
                    if (mapped != null) {
                        base = mapped;
                        restFrom = k;
                        break;
                    }
                }
                StringBuilder sb = new StringBuilder(base == null ? "" : base);
                boolean renamed = false;
                for (String seg : segs.subList(restFrom, segs.size())) {
                    String clean = seg;
                    if (tsep != FolderInfo.NO_SEPARATOR && seg.indexOf(tsep) >= 0) {
                        clean = seg.replace(tsep, '_');
                        renamed = true;
                    }
                    if (sb.length() > 0) {
                        sb.append(tsep == FolderInfo.NO_SEPARATOR ? f.separator() : tsep);
                    }
                    sb.append(clean);
                }
                targetName = sb.toString();
                if (renamed) {
                    note = "a level contained the target's hierarchy separator '" + tsep + "', replaced by '_'";
                }
            }
            String unique = targetName;
            for (int n = 2; usedTargets.containsKey(key(unique)); n++) {
                unique = targetName + "_" + n;
            }
            if (!unique.equals(targetName)) {
                note = "name already taken on the target by folder '" + usedTargets.get(key(targetName)) + "'";
            }
            usedTargets.put(key(unique), f.name());
            mappings.add(new Mapping(f, unique, note));
        }
        List<String> toCreate = new ArrayList<>();
        for (Mapping m : mappings) {
            if (!existing.contains(m.targetName()) && !m.targetName().equalsIgnoreCase("INBOX")) {
                toCreate.add(m.targetName());
                existing.add(m.targetName());
            }
        }
        return new Plan(mappings, tsep, toCreate);
    }

    /** The role a folder's name suggests: a dictionary name at the top level or directly under INBOX. */
    static FolderRole dictionaryRole(FolderInfo f) {
        List<String> segs = f.segments();
        String last;
        if (segs.size() == 1) {
            last = segs.get(0);
        } else if (segs.size() == 2 && segs.get(0).equalsIgnoreCase("INBOX")) {
            last = segs.get(1);
        } else {
            return null;
        }
        return DICTIONARY.get(Normalizer.normalize(last.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT));
    }

    /** Target path levels joined with the target separator (a level's own separator becomes {@code _}). */
    private static String join(List<String> levels, char tsep, char sourceSep) {
        StringBuilder sb = new StringBuilder();
        for (String level : levels) {
            if (level.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(tsep == FolderInfo.NO_SEPARATOR ? sourceSep : tsep);
            }
            sb.append(tsep != FolderInfo.NO_SEPARATOR ? level.replace(tsep, '_') : level);
        }
        return sb.length() == 0 ? "INBOX" : sb.toString();
    }

    /**
     * 0 INBOX, 1 explicit map, 2 special-use role, 3 dictionary role, 4 the others, 5 virtual folders
     * ({@code \All}, {@code \Flagged}, {@code \Important}: Gmail's All Mail, Starred, Important),
     * which hold copies of messages of the other folders and so are synced last.
     */
    private static int rank(FolderInfo f, Map<FolderRole, String> targetByRole, Rules rules, Set<String> existing) {
        if (f.isInbox()) {
            return 0;
        }
        if (f.role() == FolderRole.ALL || f.role() == FolderRole.FLAGGED
                || f.attributes().stream().anyMatch(a -> a.equalsIgnoreCase("\\Important"))) {
            return 5;
        }
        if (rules.explicit().containsKey(f.name())) {
            return 1;
        }
        if (f.role() != null && MAPPED_ROLES.contains(f.role()) && targetByRole.containsKey(f.role())) {
            return 2;
        }
        FolderRole byName = nameRole(f, rules, existing);
        return byName != null && targetByRole.containsKey(byName) ? 3 : 4;
    }

    /**
     * The role the dictionary gives a source folder without special-use attribute, unless the
     * target already has a folder of exactly that name: then the folder goes there, so a mapping
     * never changes once a pass has created a folder.
     */
    private static FolderRole nameRole(FolderInfo f, Rules rules, Set<String> existing) {
        if (!rules.localizedNames() || f.role() != null || existing.contains(f.name())) {
            return null;
        }
        return dictionaryRole(f);
    }

    private static String key(String name) {
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    private static char separatorOf(List<FolderInfo> folders) {
        for (FolderInfo f : folders) {
            if (f.isInbox() && f.separator() != FolderInfo.NO_SEPARATOR) {
                return f.separator();
            }
        }
        for (FolderInfo f : folders) {
            if (f.separator() != FolderInfo.NO_SEPARATOR) {
                return f.separator();
            }
        }
        return folders.isEmpty() ? '/' : FolderInfo.NO_SEPARATOR;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
