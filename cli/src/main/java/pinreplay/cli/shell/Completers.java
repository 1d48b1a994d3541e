package pinreplay.cli.shell;

import java.util.List;
import java.util.Map;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.completer.SystemCompleter;
import picocli.shell.jline3.PicocliCommands;

import pinreplay.cli.completion.Vocabulary;
import pinreplay.format.EventType;
import pinreplay.format.Field;
import pinreplay.inject.Catalog;
import pinreplay.inject.Injectors;

/**
 * Tab completion: command names and typed event names first; then, by command, show subjects,
 * conditions, event names, kernel releases, {@code policy=value} pairs, injector names, live handles,
 * inode numbers and pids from the session's current state, and for a typed event its field keys and
 * their values. CLI commands and every command's options complete through picocli's own completer
 * ({@link PicocliCommands}).
 */
final class Completers implements Completer {
    private static final String[] FS = {"ext4", "xfs", "btrfs", "tmpfs", "hugetlbfs", "devdax", "other"};
    /** What each argument word offers, shown beside it (aligned by JLine). */
    private static final Map<String, String> MEANING = Map.ofEntries(
            Map.entry("mm", "per pid: mm, VMA count, locked_vm, pinned_vm"),
            Map.entry("vmas", "/proc/PID/maps-style lines [PID]"),
            Map.entry("pins", "live registrations and their frames"),
            Map.entry("page", "ADDR [PID]: VMA, PTE, folio, counts, holder"),
            Map.entry("file", "INO: size, mappings, page cache, blocks"),
            Map.entry("handles", "live handles, kind, mm, range"),
            Map.entry("lock", "tasks waiting for mmap_lock, truncates waiting"),
            Map.entry("iommu", "IOVA ranges per vfio container"),
            Map.entry("stats", "position, profile, counts"),
            Map.entry("breakpoints", "breakpoints and watchpoints"),
            Map.entry("watchpoints", "watchpoints"),
            Map.entry("injectors", "fault injectors of the session"),
            Map.entry("violation", "after the event that finds a violation"),
            Map.entry("stall", "after a call starts waiting for pins"),
            Map.entry("event", "before the next event NAME [KEY=VALUE...]"),
            Map.entry("line", "before trace line N"),
            Map.entry("until", "a condition"),
            Map.entry("range", "START-END [PID]: mapped and pinned pages, frames"),
            Map.entry("handle", "NAME: registered, released, its frames"),
            Map.entry("inode", "INO: size, mappings, page cache, blocks, pins"),
            Map.entry("all", "every breakpoint and watchpoint"));
    /** The ADDR [PID] of a watched page, as against show's page. */
    private static final String WATCH_PAGE = "ADDR [PID]: PTE, frame, ref and pin counts, owner";

    private final Session s;
    private final Dispatcher d;
    private final SystemCompleter cli;
    private final SystemCompleter session;
    private final Completer files = new org.jline.builtins.Completers.FileNameCompleter();

    Completers(Session s, Dispatcher d) {
        this.s = s;
        this.d = d;
        cli = new PicocliCommands(d.cliTree()).compileCompleters();
        cli.compile();
        session = new PicocliCommands(SessionCommands.tree(s)).compileCompleters();
        session.compile();
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int idx = line.wordIndex();
        if (idx == 0) {
            commands(candidates);
            return;
        }
        String first = d.canonical(words.get(0));
        String cur = line.word().substring(0, line.wordCursor());
        if (first.endsWith(":") && Condition.eventType(first.substring(0, first.length() - 1)) != null) {
            eventFields(words, cur, candidates);
        } else if (first.equals("help")) {
            if (idx == 1) {
                for (String c : d.sessionCommands()) {
                    add(candidates, c, true);
                }
                for (String c : d.cliCommands()) {
                    add(candidates, c, true);
                }
            }
        } else if (d.sessionCommands().contains(first)) {
            if (cur.startsWith("-")) {
                session.complete(reader, line, candidates);
            } else {
                sessionArgs(reader, line, words, idx, candidates);
            }
        } else if (d.cliCommands().contains(first)) {
            cli.complete(reader, line, candidates);
        }
    }

    private void commands(List<Candidate> c) {
        for (String name : d.sessionCommands()) {
            c.add(new Candidate(name, name, "session", description(d.sessionCommand(name)), null,
                    null, true));
        }
        for (String name : d.cliCommands()) {
            c.add(new Candidate(name, name, "command line", description(d.cliTree().getSubcommands().get(name)), null,
                    null, true));
        }
        for (Map.Entry<String, String> a : d.aliases().entrySet()) {
            c.add(new Candidate(a.getKey(), a.getKey(), "aliases", a.getValue(), null, null, true));
        }
        for (String name : Dispatcher.BUILTINS) {
            add(c, name, true);
        }
        for (EventType t : EventType.values()) {
            if (t.isNative()) {
                c.add(new Candidate(t.eventName() + ":", t.eventName() + ":", "events", null, null, null, true));
            }
        }
    }

    private static String description(picocli.CommandLine cl) {
        String[] d = cl.getCommandSpec().usageMessage().description();
        return d.length == 0 ? null : d[0];
    }

    private void sessionArgs(LineReader reader, ParsedLine line, List<String> w, int idx, List<Candidate> c) {
        String cmd = d.canonical(w.get(0));
        String prev = w.get(idx - 1);
        String cur = line.word().substring(0, line.wordCursor());
        switch (cmd) {
            case "show" -> showArgs(w, idx, c);
            case "info" -> {
                if (idx == 1) {
                    SessionCommands.Info.SUBJECTS.forEach(x -> described(c, x));
                }
                showArgs(w, idx, c);
            }
            case "run", "back" -> {
                if (idx == 1) {
                    described(c, "until");
                } else if (w.get(1).equals("until")) {
                    condition(w.subList(2, idx), cur, c);
                }
            }
            case "break" -> condition(w.subList(1, idx), cur, c);
            case "watch" -> {
                if (idx == 1) {
                    Watch.TARGETS.forEach(x -> c.add(new Candidate(x, x, null, x.equals("page") ? WATCH_PAGE
                            : MEANING.get(x), null, null, true)));
                } else if (idx == 2 && prev.equals("handle")) {
                    s.liveHandles().forEach(h -> add(c, h, true));
                } else if (idx == 2 && prev.equals("inode")) {
                    inodes(c, "");
                } else if (idx == 2 && (prev.equals("page") || prev.equals("range"))) {
                    vmas(prev.equals("range"), c);
                } else if (idx == 3 && (w.get(1).equals("page") || w.get(1).equals("range"))) {
                    pids(c, "");
                }
            }
            case "unbreak" -> {
                if (idx == 1) {
                    described(c, "all");
                    s.breakpoints.describe().forEach(b -> c.add(new Candidate(b.substring(0, b.indexOf(' ')),
                            b.substring(0, b.indexOf(' ')), null, b.substring(b.indexOf(' ')).strip(), null, null,
                            true)));
                }
                condition(w.subList(1, idx), cur, c);
            }
            case "set" -> {
                if (idx == 1) {
                    List.of("kernel", "policy", "seed").forEach(x -> add(c, x, true));
                } else if (idx == 2 && prev.equals("kernel")) {
                    Vocabulary.releases().forEach(x -> add(c, x, true));
                } else if (idx == 2 && prev.equals("policy")) {
                    add(c, "none", true);
                    Vocabulary.policyValues().forEach(x -> add(c, x, true));
                }
            }
            case "inject" -> {
                if (idx == 1) {
                    List.of("add", "remove", "list").forEach(x -> add(c, x, true));
                } else if (idx == 2 && prev.equals("add")) {
                    if (cur.indexOf(':') < 0) {
                        Injectors.NAMES.forEach(x -> add(c, x, true));
                    } else {
                        injectorKeys(cur, c);
                    }
                } else if (idx == 2 && prev.equals("remove")) {
                    s.config().injects().forEach(x -> add(c, x.contains(":") ? x.substring(0, x.indexOf(':')) : x, true));
                }
            }
            case "load", "save" -> files.complete(reader, line, c);
            default -> {
            }
        }
    }

    /**
     * {@code NAME:key=value,...} being typed: the injector's keys not given yet, or the values of the key being
     * typed when they are a fixed set ({@code race=none|munmap|...}).
     */
    private static void injectorKeys(String cur, List<Candidate> c) {
        List<Catalog.Key> keys = Vocabulary.injectorKeys(cur.substring(0, cur.indexOf(':')));
        int start = Math.max(cur.lastIndexOf(':'), cur.lastIndexOf(',')) + 1;
        String head = cur.substring(0, start);
        String typed = cur.substring(start);
        int eq = typed.indexOf('=');
        for (Catalog.Key k : keys) {
            if (eq < 0 && !head.contains(":" + k.name() + "=") && !head.contains("," + k.name() + "=")) {
                c.add(new Candidate(head + k.name() + "=", head + k.name() + "=", null, k.meaning(), null, null, false));
            } else if (eq > 0 && typed.substring(0, eq).equals(k.name())) {
                for (String v : Vocabulary.fixedValues(k)) {
                    add(c, head + k.name() + "=" + v, false);
                }
            }
        }
    }

    private void showArgs(List<String> w, int idx, List<Candidate> c) {
        String prev = w.get(idx - 1);
        if (idx == 1) {
            StateView.SUBJECTS.forEach(x -> described(c, x));
        } else if (idx == 2 && prev.equals("file")) {
            inodes(c, "");
        } else if (idx == 2 && (prev.equals("mm") || prev.equals("vmas")) || idx == 3 && w.get(1).equals("page")) {
            pids(c, "");
        }
    }

    /**
     * A condition: its words; after {@code event}, event names; after {@code event NAME}, {@code if} and the keys
     * of a conditional breakpoint, then their values as for a typed event.
     */
    private void condition(List<String> before, String cur, List<Candidate> c) {
        if (before.isEmpty()) {
            Condition.WORDS.forEach(x -> described(c, x));
        } else if (before.size() == 1 && before.get(0).equals("event")) {
            for (EventType t : EventType.values()) {
                if (t.kind() != EventType.Kind.META) {
                    add(c, t.eventName(), true);
                }
            }
        } else if (before.get(0).equals("event")) {
            int eq = cur.indexOf('=');
            if (eq > 0) {
                fieldValues(cur.substring(0, eq + 1), c);
                return;
            }
            if (before.size() == 2) {
                c.add(new Candidate("if", "if", null, "then KEY=VALUE...", null, null, true));
            }
            fieldKeys(before, c);
            for (String k : Condition.CONTEXT_KEYS) {
                if (!given(before, k)) {
                    c.add(new Candidate(k + "=", k + "=", null, "the event's task", null, null, false));
                }
            }
        }
    }

    /** Each VMA of the last event's process: its start (a page) or its whole range. */
    private void vmas(boolean range, List<Candidate> c) {
        if (!s.kernel().tasks.known(s.lastPid())) {
            return;
        }
        for (var v : s.kernel().tasks.mmOf(s.lastPid()).vmas) {
            String start = String.format(java.util.Locale.ROOT, "%#x", v.start);
            add(c, range ? start + String.format(java.util.Locale.ROOT, "-%#x", v.end) : start, true);
        }
    }

    private static void described(List<Candidate> c, String word) {
        c.add(new Candidate(word, word, null, MEANING.get(word), null, null, true));
    }

    /** A typed event: {@code key=} for the native fields not yet given, or the values of the key being typed. */
    private void eventFields(List<String> words, String cur, List<Candidate> c) {
        int eq = cur.indexOf('=');
        if (eq < 0) {
            fieldKeys(words, c);
        } else {
            fieldValues(cur.substring(0, eq + 1), c);
        }
    }

    /** {@code key=} for each native field not among {@code words} yet. */
    private static void fieldKeys(List<String> words, List<Candidate> c) {
        for (Field f : Field.values()) {
            if (f.ordinal() <= Field.MM.ordinal() && !given(words, f.key())) {
                add(c, f.key() + "=", false);
            }
        }
    }

    /** The values of the field {@code key} ({@code handle=}, ...): live handles, inodes, pids or a fixed set. */
    private void fieldValues(String key, List<Candidate> c) {
        switch (key) {
            case "handle=" -> s.liveHandles().forEach(h -> add(c, key + h, true));
            case "ino=" -> inodes(c, key);
            case "mm=" -> pids(c, key);
            case "fs=" -> values(c, key, FS);
            case "prot=" -> values(c, key, "r", "rw", "none");
            case "flags=" -> values(c, key, "shared", "private");
            case "mode=" -> values(c, key, "allocate", "punch_hole", "keep_size", "zero_range", "collapse_range",
                    "insert_range", "unshare_range", "write_zeroes");
            case "advice=" -> values(c, key, "dontneed", "free", "remove", "dontfork", "dofork", "wipeonfork",
                    "keeponfork", "populate_read", "populate_write", "willneed", "dontneed_locked", "guard_install");
            case "rw=", "access=" -> values(c, key, "read", "write");
            case "dax=", "hugetlb=", "pfnmap=", "populate=", "locked=", "write=", "dirty=" -> values(c, key, "0", "1");
            case "gup_flags=" -> values(c, key, "FOLL_WRITE", "FOLL_LONGTERM", "FOLL_WRITE|FOLL_LONGTERM", "FOLL_FORCE");
            default -> {
            }
        }
    }

    private static boolean given(List<String> words, String key) {
        return words.stream().anyMatch(w -> w.startsWith(key + "="));
    }

    private void inodes(List<Candidate> c, String prefix) {
        for (long ino : s.kernel().inodes.sortedKeys()) {
            add(c, prefix + ino, true);
        }
    }

    private void pids(List<Candidate> c, String prefix) {
        for (long pid : s.kernel().tasks.pids()) {
            add(c, prefix + pid, true);
        }
    }

    private static void values(List<Candidate> c, String key, String... values) {
        for (String v : values) {
            add(c, key + v, true);
        }
    }

    private static void add(List<Candidate> c, String value, boolean complete) {
        c.add(new Candidate(value, value, null, null, null, null, complete));
    }
}
