package pinreplay.record;

import java.util.List;

/**
 * The recording as a POSIX shell script (busybox ash runs it too): every tracefs write that sets the
 * probes and events up, the snapshot of what existed before, the capture, and the teardown that
 * removes everything it created on exit, on Ctrl-C and on an error half-way through set-up.
 * {@code pinreplay record} runs exactly this script and {@code --dry-run} prints it, so a recording
 * made by hand, by the kernel lab or by the command is the same recording.
 *
 * <p>The output file starts with {@code # pinreplay record: KEY=VALUE} comment lines (release,
 * probes, events, mounts), then the snapshot as native events at timestamp 0 ({@code file} for each
 * mapped file, {@code vma} for each mapping of each target, from {@code /proc/PID/maps} and
 * {@code /proc/PID/mountinfo}; {@code memlock} for each target, or for the script's shell that forks the
 * command, from {@code /proc/PID/limits} and {@code /proc/PID/status}), then the instance's trace.
 *
 * <p>Exit codes: 0 recorded; 4 the output could not be written; 5 the system refused (not root, no
 * tracefs, an instance of that name exists); 130 interrupted. A kernel that takes no kprobes (none built in,
 * disabled, forbidden by lockdown) is recorded without them, with a note on stderr and a {@code kprobes=none}
 * header line.
 */
public final class RecordScript {
    private RecordScript() {
    }

    /** What to record and where. */
    public record Request(String tracefs, String instance, String output, List<Integer> pids, List<String> command,
                          int durationSeconds, int bufferKb) {
    }

    public static String render(ProbeSet set, Request r) {
        StringBuilder s = new StringBuilder(8192);
        s.append("#!/bin/sh\n")
                .append("# pinreplay record: set-up, snapshot, capture and teardown of one recording (run as root).\n")
                .append("set -u\n")
                .append("T=").append(quote(r.tracefs())).append('\n')
                .append("I=\"$T/instances/").append(r.instance()).append("\"\n")
                .append("OUT=").append(quote(r.output())).append('\n')
                .append("PIPE=\n")
                .append(FUNCTIONS);
        s.append("[ \"$(id -u)\" = 0 ] || refuse \"must run as root (tracefs needs it)\"\n")
                .append("[ -d \"$T/instances\" ] || [ \"$T\" != /sys/kernel/tracing ] || mount -t tracefs nodev \"$T\" 2>/dev/null\n")
                .append("[ -d \"$T/instances\" ] || refuse \"no tracefs at $T (CONFIG_FTRACE)\"\n")
                .append(KPROBES_TAKEN);
        if (!set.probes().isEmpty()) {
            // chosen for a kernel that takes kprobes (or one not at hand): say so when this one does not
            s.append("[ -z \"$NOKPROBES\" ] || echo \"pinreplay record: note: ").append(ProbeSet.WITHOUT_KPROBES)
                    .append(" ($NOKPROBES)\" >&2\n");
        }
        s.append("[ -e \"$I\" ] && refuse \"$I exists: another recording is running (or remove it with rmdir)\"\n")
                .append(": > \"$OUT\" || fail 4 \"cannot write $OUT\"\n")
                .append("trap teardown EXIT\n")
                .append("trap 'exit 130' INT TERM HUP\n");
        for (Probe p : set.probes()) {
            s.append("probe ").append(p.symbol()).append(' ').append(quote(p.entryDefinition()));
            if (p.returns()) {
                s.append(' ').append(quote(p.returnDefinition()));
            }
            s.append('\n');
        }
        s.append("mkdir \"$I\" || refuse \"cannot create $I\"\n");
        // a new instance traces from its creation, every task: nothing until the snapshot and set_event_pid are written
        s.append("w \"$I/tracing_on\" 0\n");
        s.append("w \"$I/buffer_size_kb\" ").append(r.bufferKb()).append('\n')
                .append("w \"$I/trace_clock\" mono\n")
                .append("w \"$I/options/record-tgid\" 1\n")
                .append("w \"$I/options/event-fork\" 1\n")
                .append("for p in $PROBES; do enable \"${p#*:}\"; done\n");
        for (TraceEvent e : set.events()) {
            s.append("enable ").append(e.group()).append('/').append(e.name());
            if (e.filter() != null) {
                s.append(' ').append(quote(e.filter()));
            }
            s.append('\n');
        }
        s.append("{\n")
                .append("  echo \"# pinreplay record: version=1\"\n")
                // the stable update a distribution's uname -r hides: Debian's /proc/version, Ubuntu's version_signature
                .append("  update=$(sed -n 's/.* Debian \\([0-9]*\\.[0-9]*\\.[0-9]*\\)[-+~].*/\\1/p' /proc/version 2>/dev/null)\n")
                .append("  [ -n \"$update\" ] || update=$(awk '{print $NF}' /proc/version_signature 2>/dev/null)\n")
                .append("  echo \"# pinreplay record: release=$(uname -r) machine=$(uname -m)${update:+ update=$update}\"\n")
                .append("  thp=$(sed -n 's/.*\\[\\([a-z]*\\)\\].*/\\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)\n")
                .append("  echo \"# pinreplay record: thp=${thp:-never}\"\n")
                // the hstates (one /sys/kernel/mm/hugepages/hugepages-NkB per size, hugetlb_sysfs_add_hstate()), their
                // pools, and the default (/proc/meminfo's Hugepagesize)
                .append("  dflt=$(awk '$1 == \"Hugepagesize:\" { print $2 }' /proc/meminfo 2>/dev/null)\n")
                .append("  for h in /sys/kernel/mm/hugepages/hugepages-*kB; do\n")
                .append("    [ -d \"$h\" ] || continue\n")
                .append("    kb=${h##*hugepages-}; kb=${kb%kB}\n")
                .append("    echo \"# pinreplay record: hugepages size=${kb}kB nr=$(cat \"$h/nr_hugepages\" 2>/dev/null)"
                        + " free=$(cat \"$h/free_hugepages\" 2>/dev/null) resv=$(cat \"$h/resv_hugepages\" 2>/dev/null)"
                        + " default=$([ \"$kb\" = \"$dflt\" ] && echo 1 || echo 0)"
                        // surplus_huge_pages and nr_overcommit_huge_pages (gather_surplus_pages()' limit)
                        + " surplus=$(cat \"$h/surplus_hugepages\" 2>/dev/null)"
                        + " overcommit=$(cat \"$h/nr_overcommit_hugepages\" 2>/dev/null)\"\n")
                .append("  done\n")
                .append("  [ -n \"$PROBES\" ] || echo \"# pinreplay record: kprobes=none${NOKPROBES:+ ($NOKPROBES)}\"\n")
                .append("  printf '%s' \"$DEFINED\"\n")
                .append("  for e in $ENABLED; do echo \"# pinreplay record: event ${e%%/*}:${e#*/}\"; done\n");
        s.append("} >> \"$OUT\" || fail 4 \"cannot write $OUT\"\n");
        s.append("snapshot self-mounts >> \"$OUT\"\n")
                .append("cat \"$I/trace_pipe\" >> \"$OUT\" &\nPIPE=$!\n");
        if (r.command().isEmpty()) {
            s.append("for p in");
            for (int pid : r.pids()) {
                s.append(' ').append(pid);
            }
            s.append("; do\n")
                    .append("  [ -d \"/proc/$p\" ] || fail 3 \"no process $p\"\n")
                    .append("  snapshot \"$p\" >> \"$OUT\"\n")
                    .append("  creds \"$p\" >> \"$OUT\"\n")
                    // set_event_pid filters on the thread id (trace_ignore_this_task()): every thread of the process
                    .append("  for t in /proc/$p/task/*; do wa \"$I/set_event_pid\" \"${t##*/}\"; done\n")
                    .append("done\n")
                    .append("w \"$I/tracing_on\" 1\n")
                    .append("waited=0\n")
                    .append("while alive; do\n");
            if (r.durationSeconds() > 0) {
                s.append("  [ \"$waited\" -ge ").append(r.durationSeconds()).append(" ] && break\n");
            }
            s.append("  sleep 1; waited=$((waited + 1))\n")
                    .append("done\n");
        } else {
            s.append("creds $$ >> \"$OUT\"\n")
                    .append("w \"$I/set_event_pid\" $$\n")
                    .append("w \"$I/tracing_on\" 1\n")
                    .append("sh -c 'exec \"$@\"' sh");
            for (String arg : r.command()) {
                s.append(' ').append(quote(arg));
            }
            if (r.durationSeconds() > 0) {
                s.append(" &\nCMD=$!\n")
                        .append("( sleep ").append(r.durationSeconds()).append("; kill -TERM $CMD 2>/dev/null ) &\n")
                        .append("TIMER=$!\n")
                        .append("wait $CMD; STATUS=$?\n")
                        .append("kill $TIMER 2>/dev/null\n");
            } else {
                s.append("\nSTATUS=$?\n");
            }
            s.append("[ \"$STATUS\" = 0 ] || echo \"pinreplay record: the command exited with status $STATUS\" >&2\n");
        }
        s.append("exit 0\n");
        return s.toString();
    }

    /**
     * Whether the kernel takes kprobes here ({@code NOKPROBES} empty) or why not: without, the syscalls and
     * tracepoints are recorded alone.
     */
    private static final String KPROBES_TAKEN = """
            NOKPROBES=
            if [ ! -f "$T/kprobe_events" ]; then NOKPROBES=%s
            elif grep -q '\\[confidentiality\\]' /sys/kernel/security/lockdown 2>/dev/null; then NOKPROBES="kernel lockdown (confidentiality) forbids kprobes"
            elif [ "$(cat /sys/kernel/debug/kprobes/enabled 2>/dev/null || echo 1)" != 1 ]; then NOKPROBES="kprobes are disabled (/sys/kernel/debug/kprobes/enabled is 0)"
            elif ! head -c 1 "$T/available_filter_functions" > /dev/null 2>&1; then NOKPROBES="$T/available_filter_functions cannot be read"
            fi
            """.formatted(quote(KernelOffer.NO_KPROBE_EVENTS));

    /** Single-quoted for sh: {@code 'it'\''s'}. */
    static String quote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }

    /**
     * The script's helpers. {@code teardown} stops tracing, appends what {@code trace_pipe} has not yet
     * read, removes the instance, then the probes (a probe still enabled cannot be removed: -EBUSY).
     * {@code snapshot PID} prints a task's mappings and their files as native {@code vma} and {@code file}
     * events; addresses stay hex strings (awk's numbers are doubles).
     */
    private static final String FUNCTIONS = """
            PROBES=
            refuse() { echo "pinreplay record: $*" >&2; exit 5; }
            fail() { code=$1; shift; echo "pinreplay record: $*" >&2; exit "$code"; }
            w() { printf '%s\\n' "$2" > "$1" 2>/dev/null || fail 5 "cannot write '$2' to $1"; }
            wa() { printf '%s\\n' "$2" >> "$1" 2>/dev/null || fail 5 "cannot write '$2' to $1"; }
            DEFINED=
            ENABLED=
            # probe SYM ENTRY [RETURN]: defined only when the kernel offers SYM (available_filter_functions)
            probe() {
              sym=$1; shift
              [ -z "$NOKPROBES" ] || return 0
              grep -qE "^$sym( |$)" "$T/available_filter_functions" 2>/dev/null || return 0
              for def in "$@"; do
                printf '%s\\n' "$def" >> "$T/kprobe_events" 2>/dev/null || fail 5 "the kernel refused the probe '$def'"
                PROBES="$PROBES ${def%% *}"
                DEFINED="$DEFINED# pinreplay record: probe $def
            "
              done
            }
            # enable GROUP/NAME [FILTER]: only an event the kernel has
            enable() {
              [ -d "$I/events/$1" ] || return 0
              [ -z "${2:-}" ] || w "$I/events/$1/filter" "$2"
              w "$I/events/$1/enable" 1
              ENABLED="$ENABLED $1"
            }
            alive() {
              for p in $(cat "$I/set_event_pid" 2>/dev/null); do [ -d "/proc/$p" ] && return 0; done
              return 1
            }
            teardown() {
              trap - EXIT INT TERM HUP
              if [ -d "$I" ]; then
                echo 0 > "$I/tracing_on" 2>/dev/null
                echo 0 > "$I/events/enable" 2>/dev/null
                [ -n "$PIPE" ] && { sleep 1; kill "$PIPE" 2>/dev/null; wait "$PIPE" 2>/dev/null; }
                cat "$I/trace" >> "$OUT" 2>/dev/null
                lost=$(cat "$I"/per_cpu/cpu*/stats 2>/dev/null | awk '$1 == "overrun:" { n += $2 } END { print n + 0 }')
                [ "${lost:-0}" -gt 0 ] && echo "pinreplay record: the ring buffer overwrote $lost events before they were read (CPU:N [LOST M EVENTS] lines in $OUT): record again with a larger --buffer-kb" >&2
                rmdir "$I" 2>/dev/null
              fi
              for p in $PROBES; do
                printf '%s\\n' "-:${p#*:}" >> "$T/kprobe_events" 2>/dev/null
              done
            }
            # creds PID: what the memlock charge of long-term pins reads, as a native memlock line: RLIMIT_MEMLOCK's
            # soft limit (bytes), CAP_IPC_LOCK (bit 14 of CapEff), the real, effective and saved uid, mm->locked_vm (VmLck)
            # and mm->pinned_vm (VmPin) in pages
            creds() {
              # capable(CAP_IPC_LOCK) asks the initial user namespace: a task in another one has none there
              ns=1; own=$(readlink "/proc/$1/ns/user" 2>/dev/null); init=$(readlink /proc/1/ns/user 2>/dev/null)
              [ -n "$own" ] && [ -n "$init" ] && [ "$own" != "$init" ] && ns=0
              awk -v pid="$1" -v initns="$ns" '
                FILENAME ~ /limits$/ { if ($0 ~ /^Max locked memory/) rl = $4; next }
                $1 == "Uid:" { uid = $2; euid = $3; suid = $4 }
                $1 == "CapEff:" { d = index("0123456789abcdef", tolower(substr($2, length($2) - 3, 1))) - 1; cap = int(d / 4) % 2 * initns }
                $1 == "VmLck:" { lck = " locked_vm=" int($2 / 4) }
                $1 == "VmPin:" { pin = " pinned_vm=" int($2 / 4) }
                END {
                  if (rl == "" || uid == "") exit
                  print "        snapshot-0       [000] .....     0.000000: memlock: pid=" pid " rlimit=" rl " cap_ipc_lock=" cap \
                    " uid=" uid " euid=" euid " suid=" suid lck pin
                }' "/proc/$1/limits" "/proc/$1/status" 2>/dev/null
            }
            snapshot() {
              [ "$1" = self-mounts ] && pid=self || pid=$1
              awk -v pid="$1" '
                function hex(s,   i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
                function line(ev) { print "        snapshot-0       [000] .....     0.000000: " ev }
                FILENAME ~ /mountinfo$/ {
                  for (i = 7; i <= NF && $i != "-"; i++) ;
                  fs[$3] = $(i + 1); dax[$3] = ($6 "," $(i + 3)) ~ /(^|,)dax(=always)?(,|$)/ ? 1 : 0
                  if (pid == "self-mounts") print "# pinreplay record: mount " $3 " " $5 " " fs[$3] " dax=" dax[$3]
                  next
                }
                # smaps: the maps line of each mapping, then its fields; KernelPageSize above 4 kB is hugetlb, whose file
                # (an MFD_HUGETLB memfd, the /anon_hugepage of MAP_HUGETLB) may sit on the internal hugetlbfs mount of the kernel
                /^[0-9a-f]+-[0-9a-f]+ / { cur = $0; if (hdr != "") vma(); hdr = cur; kps = 4; vf = ""; next }
                $1 == "KernelPageSize:" { kps = $2 + 0; next }
                # VmFlags (show_smap_vma_flags()): io/pf VM_IO|VM_PFNMAP, a device mapping (a vfio BAR from the
                # anon-inode fd of its device), lo VM_LOCKED (mlock(), mlockall())
                $1 == "VmFlags:" { vf = $0 " "; next }
                # the file lines first (a size stat cannot read is the furthest any mapping reaches), then the mappings
                END {
                  if (hdr != "") vma()
                  for (i = 1; i <= nf; i++) {
                    k = order[i]; size = fsize[k] != "" ? fsize[k] : fext[k]
                    line("file: ino=" fino[k] " fs=" ft[k] " dax=" fdax[k] " size=" size " dev=" fdev[k] fps[k])
                  }
                  for (i = 1; i <= nv; i++) line(out[i])
                }
                function vma(   r, d, dev, prot, ev, t, pg, size, cmd, k) {
                  $0 = hdr
                  split($1, r, "-"); split($4, d, ":"); dev = hex(d[1]) ":" hex(d[2])
                  if ($6 == "[vsyscall]") return
                  prot = (substr($2, 1, 1) == "r" ? "r" : "") (substr($2, 2, 1) == "w" ? "w" : "") (substr($2, 3, 1) == "x" ? "x" : "")
                  if (prot == "") prot = "none"
                  ev = "vma: mm=" pid " start=0x" r[1] " end=0x" r[2] " prot=" prot " flags=" (substr($2, 4, 1) == "s" ? "shared" : "private")
                  if ($6 == "[vvar]" || $6 == "[vvar_vclock]" || vf ~ / (io|pf) /) ev = ev " pfnmap=1"
                  if (vf ~ / lo /) ev = ev " locked=1"
                  if ($5 != 0 && ev !~ / pfnmap=1/) {
                    t = fs[dev]; if (t == "" && d[1] + 0 == 0) t = "tmpfs"
                    if (kps > 4) t = "hugetlbfs"
                    if ($6 ~ /^\\/dev\\/dax/) t = "devdax"
                    if (t !~ /^(ext4|xfs|btrfs|tmpfs|hugetlbfs|devdax)$/) t = "other"
                    pg = substr($3, 1, length($3) - 3); if (pg == "") pg = "0"
                    k = dev ":" $5
                    if (!(k in seen)) {
                      seen[k] = 1; order[++nf] = k; size = ""
                      if ($6 ~ /^\\// && $0 !~ /\\(deleted\\)$/) { cmd = "stat -c %s \\"" $6 "\\" 2>/dev/null"; cmd | getline size; close(cmd) }
                      fino[k] = $5; ft[k] = t; fdax[k] = dax[dev] == 1 ? 1 : 0; fdev[k] = dev; fsize[k] = size
                      # the huge page size of a hugetlbfs file (its hstate: KernelPageSize, in kB)
                      fps[k] = (t == "hugetlbfs") ? " pagesize=" (kps * 1024) : ""
                    }
                    # a file stat cannot reach (deleted: a memfd, shared anonymous memory, MAP_HUGETLB) is at least
                    # as long as the furthest of its mappings
                    if (hex($3) + hex(r[2]) - hex(r[1]) > fext[k]) fext[k] = hex($3) + hex(r[2]) - hex(r[1])
                    ev = ev " ino=" $5 " pgoff=0x" pg " dev=" dev
                  }
                  out[++nv] = ev
                }' "/proc/$pid/mountinfo" $( [ "$pid" = self ] || echo "/proc/$pid/smaps" )
            }
            """;
}
