package pinreplay.record;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a kernel offers a recorder: the functions a kprobe can be placed on and the trace events it
 * has, with its release. Read from a running kernel's tracefs ({@code available_filter_functions},
 * {@code available_events}) or, to prepare a recording for another machine, from that kernel's
 * {@code System.map} or {@code /proc/kallsyms}. A tracefs that refuses its function list (lockdown, a
 * sandbox) still offers its events.
 */
public final class KernelOffer {
    private final String release;
    private final Set<String> functions;
    private final Set<String> events;
    /** Whether {@link #events} was listed by tracefs; from a symbol map it is inferred from tracepoint symbols. */
    private final boolean eventsListed;
    /** Unknown kernel: every candidate, left to the script's own checks on the target ({@link #everything}). */
    private final boolean everything;
    /** Why this kernel takes no kprobes, or null when it does. */
    /** Why a tracefs without {@code kprobe_events} takes none, as {@link RecordScript} says it on the target. */
    static final String NO_KPROBE_EVENTS = "the kernel has no kprobe events (CONFIG_KPROBE_EVENTS)";

    private final String withoutKprobes;

    private KernelOffer(String release, Set<String> functions, Set<String> events, boolean eventsListed, boolean everything,
                        String withoutKprobes) {
        this.release = release;
        this.functions = functions;
        this.events = events;
        this.eventsListed = eventsListed;
        this.everything = everything;
        this.withoutKprobes = withoutKprobes;
    }

    /**
     * A kernel not at hand (a script prepared for another machine without its lists): every candidate is
     * offered, and the script keeps, on the target, the functions and events that kernel has.
     */
    public static KernelOffer everything(String release) {
        return new KernelOffer(release, Set.of(), Set.of(), false, true, null);
    }

    /**
     * The running kernel: {@code tracefs/available_events} and {@code tracefs/available_filter_functions} (or a copy of
     * another machine's). Throws when the events cannot be read: such a tracefs offers nothing. A function list that
     * is missing or refuses root (lockdown, a sandbox) leaves the events alone; the script itself finds, on the target,
     * a kernel without {@code kprobe_events}.
     */
    public static KernelOffer fromTracefs(Path tracefs, String release) throws IOException {
        Set<String> evs = new HashSet<>();
        forEachLine(tracefs.resolve("available_events"), line -> evs.add(line.trim()));
        Set<String> fns = new HashSet<>();
        Path list = tracefs.resolve("available_filter_functions");
        String without = null;
        try {
            forEachLine(list, line -> {
                int sp = line.indexOf(' '); // "fn [module]" for a module's function
                fns.add(sp < 0 ? line.trim() : line.substring(0, sp));
            });
        } catch (NoSuchFileException e) {
            without = "no " + list;
        } catch (IOException e) {
            without = list + " cannot be read (" + reason(e) + ")";
            fns.clear();
        }
        if (without != null && !Files.exists(tracefs.resolve("kprobe_events"))) {
            without = NO_KPROBE_EVENTS; // the first reason the script tests on the target, worded as it words it
        }
        return new KernelOffer(release, fns, evs, true, false, without);
    }

    /** The system's reason in an I/O error ("Operation not permitted"), else its message. */
    public static String reason(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /**
     * A kernel's symbol map ({@code System.map}, {@code /proc/kallsyms}: {@code ADDR TYPE NAME [module]}).
     * Text symbols are the functions; an event is offered when its tracepoint ({@code __tracepoint_NAME})
     * or syscall metadata ({@code __syscall_meta__NAME}) is there.
     */
    public static KernelOffer fromSymbols(Path map, String release) throws IOException {
        Set<String> fns = new HashSet<>();
        Set<String> evs = new HashSet<>();
        forEachLine(map, line -> {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                return;
            }
            char type = f[1].isEmpty() ? '?' : Character.toLowerCase(f[1].charAt(0));
            String name = f[2];
            int dot = name.indexOf('.'); // fn.constprop.0, fn.isra.0: the compiler's copies, not probe targets
            // tracepoint and syscall metadata first: 7.x kallsyms types them as text
            if (name.startsWith("__tracepoint_")) {
                evs.add("*:" + name.substring("__tracepoint_".length()));
            } else if (name.startsWith("__syscall_meta__")) {
                String sc = name.substring("__syscall_meta__".length());
                evs.add("syscalls:sys_enter_" + sc);
                evs.add("syscalls:sys_exit_" + sc);
            } else if (type == 't' && dot < 0) {
                fns.add(name);
            }
        });
        return new KernelOffer(release, fns, evs, false, false, null);
    }

    public String release() {
        return release;
    }

    /** Why this kernel takes no kprobes ({@code "... cannot be read (Operation not permitted)"}), or null when it does. */
    public String withoutKprobes() {
        return withoutKprobes;
    }

    /** How many functions were listed (0 for {@link #everything}). */
    public int functionCount() {
        return functions.size();
    }

    public boolean hasFunction(String name) {
        return everything || functions.contains(name);
    }

    /** Whether event {@code group:name} is offered. */
    public boolean hasEvent(String group, String name) {
        return everything || events.contains(group + ":" + name) || !eventsListed && events.contains("*:" + name);
    }

    private static void forEachLine(Path p, Consumer<String> action) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    action.accept(line);
                }
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(p + " (expected a list the kernel provides)");
        }
    }
}
