package pinreplay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.record.KernelOffer;
import pinreplay.record.ProbeSet;
import pinreplay.record.RecordScript;

/**
 * {@code pinreplay record}: records a trace that replay understands without any native marker, on a
 * real machine as root. Chooses the probes from what the running kernel offers, then runs the shell
 * script that {@code --dry-run} prints. With {@code --queue}, the recording is also ingested as it is
 * written, into a queue that {@code watch} follows.
 */
@Command(name = "record",
        description = {"Record a trace of the pinning paths on this machine (as root).",
                "Kprobes on GUP and its callers (where the kernel takes kprobes), the syscalls and tracepoints that "
                        + "change address spaces and files, "
                        + "and a snapshot of the targets' mappings and the mounts, in a tracefs instance that is "
                        + "removed afterwards.",
                "  pinreplay record -o run.trace -- ./my-test args",
                "  pinreplay record -o qemu.trace --duration 30 --pid 4242",
                "  pinreplay record -o qemu.trace --queue live --pid 4242",
                "  pinreplay record --dry-run --symbols System.map-6.1 -o /tmp/t -- ./scenario"})
final class RecordCommand extends Subcommand {
    /** vfio's container device: vfio is present, whether or not vfio_iommu_type1 is loaded yet. */
    private static final Path VFIO_CONTAINER = Path.of("/dev/vfio/vfio");

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The trace file to write.")
    String output;

    @Option(names = "--queue", paramLabel = "DIR",
            description = "Also ingest the recording, as it is written, into a new queue DIR (pinreplay watch DIR follows it).")
    Path queueDir;

    @Option(names = "--force", description = "With --queue: replace an existing queue in DIR; the new one takes its place when the recording ends "
                    + "(to follow it live, give a new DIR).")
    boolean force;

    @Option(names = "--pid", paramLabel = "PID", split = ",", description = "Record running processes (and their children).")
    List<Integer> pids = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "CMD",
            description = "After --: run and record this command with its arguments (and its children).")
    List<String> command = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "S", defaultValue = "0",
            description = "Stop after S seconds (default: when the targets exit).")
    int duration;

    @Option(names = "--dry-run", description = "Print the script of tracefs writes instead of running it; needs no root.")
    boolean dryRun;

    @Option(names = "--tracefs", paramLabel = "DIR", defaultValue = "/sys/kernel/tracing",
            description = "Where tracefs is (default: ${DEFAULT-VALUE}).")
    Path tracefs;

    @Option(names = "--symbols", paramLabel = "FILE",
            description = "Choose probes from this kernel's symbol map (/proc/kallsyms, or System.map from its -dbg "
                    + "package) instead of the running kernel's tracefs. --dry-run without either lists every candidate; "
                    + "the script keeps, on the target, what that kernel has.")
    Path symbols;

    @Option(names = "--release", paramLabel = "UNAME-R", description = "The target kernel's release (default: this machine's).")
    String release;

    @Option(names = "--instance", paramLabel = "NAME", defaultValue = "pinreplay",
            description = "The tracefs instance to record in (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--buffer-kb", paramLabel = "KB", defaultValue = "8192",
            description = "Per-CPU ring buffer size (default: ${DEFAULT-VALUE}).")
    int bufferKb;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (pids.isEmpty() == command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "expected --pid PID... or -- CMD ARGS... (one of them)");
        }
        if (!instance.matches("[A-Za-z0-9_.-]+")) {
            throw new ParameterException(spec.commandLine(), "--instance: expected a plain name, got '" + instance + "'");
        }
        if (queueDir != null && dryRun) {
            throw new ParameterException(spec.commandLine(), "--queue: a dry run only prints the script; ingest the file it"
                    + " writes (pinreplay ingest FILE --queue DIR)");
        }
        if (force && queueDir == null) {
            throw new ParameterException(spec.commandLine(), "--force replaces the queue of --queue DIR: give --queue");
        }
        String rel = release != null ? release : Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        KernelOffer offer = null;
        String unreadable = "is not readable";
        if (symbols != null) {
            try {
                offer = KernelOffer.fromSymbols(symbols, rel);
            } catch (IOException e) {
                throw new InputException("record: cannot read the kernel's offer: " + e.getMessage());
            }
            if (offer.functionCount() == 0) {
                throw new InputException("record: " + symbols + " lists no kernel function (Debian's System.map is a"
                        + " placeholder; use the target's /proc/kallsyms, or --dry-run without --symbols)");
            }
        } else if (Files.isReadable(tracefs.resolve("available_events"))) {
            try {
                offer = KernelOffer.fromTracefs(tracefs, rel);
            } catch (IOException e) {
                // a tracefs that refuses root its events (a sandbox) offers nothing, as none does
                unreadable = "cannot be read (" + KernelOffer.reason(e) + ")";
            }
        }
        if (offer == null && dryRun) {
            offer = KernelOffer.everything(rel);
        }
        if (offer == null && tracefsUnmounted()) {
            // a machine that boots without systemd's sys-kernel-tracing.mount (a container, a minimal VM)
            spec.commandLine().getErr().println("pinreplay: record: " + tracefs + " is empty: tracefs is not mounted there"
                    + " (as root: mount -t tracefs nodev " + tracefs + ")");
            return ExitCodes.SYSTEM_REFUSED;
        }
        if (offer == null) {
            spec.commandLine().getErr().println("pinreplay: record: " + tracefs + "/available_events " + unreadable
                    + ": run as root on a kernel with tracefs (or --dry-run)");
            return ExitCodes.SYSTEM_REFUSED;
        }
        ProbeSet set = ProbeSet.choose(offer);
        for (String note : set.notes(Files.exists(VFIO_CONTAINER))) {
            spec.commandLine().getErr().println("pinreplay: record: note: " + note);
        }
        String script = RecordScript.render(set, new RecordScript.Request(tracefs.toString(), instance,
                output, pids, command, duration, bufferKb));
        if (dryRun) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(script);
            out.flush();
            return ExitCodes.OK;
        }
        Path file = Files.createTempFile("pinreplay-record", ".sh");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            if (queueDir == null) {
                return new ProcessBuilder("/bin/sh", file.toString()).inheritIO().start().waitFor();
            }
            return recordIntoQueue(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Runs the script and ingests its output file as it grows, on this thread, into a new queue; the queue
     * is complete when the script ends (an interrupted recording included: the script tears down, then ends
     * with 130), and stopped after its last event when the script failed or a line was malformed.
     */
    private int recordIntoQueue(Path script) throws IOException, InterruptedException {
        Path out = Path.of(output);
        try {
            Files.newByteChannel(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close(); // no earlier recording is read
        } catch (IOException e) {
            throw new OutputException("record: cannot write " + output + ": " + e.getMessage());
        }
        QueueMetadata meta = new QueueMetadata().source(output).createdBy(VersionProvider.creator());
        try (EventQueue queue = EventQueue.create(queueDir, meta, force)) {
            Process recording = new ProcessBuilder("/bin/sh", script.toString()).inheritIO().start();
            // Ctrl-C reaches the script too, which tears down and ends: the queue is finished after it.
            SignalHandler interrupt = Signal.handle(new Signal("INT"), sig -> { });
            try (GrowingFileChannel text = new GrowingFileChannel(out, recording::isAlive)) {
                int code = QueueOutput.write(queue, output, writer -> {
                    text.onIdle(writer::flush);
                    ParseStats stats;
                    try {
                        stats = new TraceParser(output, writer, false).parse(text);
                    } catch (TraceFormatException e) {
                        IngestCommand.stop(queue, writer, e.line(), e.getMessage(), false);
                        spec.commandLine().getErr().println("pinreplay: record: " + queueDir + " stopped at " + output + ":"
                                + e.line() + "; the recording goes on into " + output);
                        spec.commandLine().getErr().flush();
                        ended(recording);
                        throw e;
                    } catch (IOException e) {
                        String msg = output + ": cannot read: " + e.getMessage();
                        IngestCommand.stop(queue, writer, writer.lastLine(), msg, false);
                        ended(recording);
                        throw new InputException(msg);
                    }
                    int exit = ended(recording);
                    if (exit != ExitCodes.OK && exit != ExitCodes.INTERRUPTED) {
                        IngestCommand.stop(queue, writer, stats.lines(), "the recording failed (exit " + exit + ")", false);
                        return exit;
                    }
                    queue.metadata().lines(stats.lines()).malformed(stats.malformed());
                    writer.finish();
                    return exit;
                });
                if (code == ExitCodes.OK || code == ExitCodes.INTERRUPTED) {
                    queue.commit();
                }
                return code;
            } finally {
                Signal.handle(new Signal("INT"), interrupt);
            }
        }
    }

    /** The script's exit code, once it has ended (its teardown is what ends it: an interrupt does not stop the wait). */
    private static int ended(Process recording) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return recording.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether {@link #tracefs} is an empty directory: the mount point sysfs makes, with nothing mounted on it. */
    private boolean tracefsUnmounted() {
        if (!Files.isDirectory(tracefs)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(tracefs)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false; // a directory root cannot list is not sysfs's empty mount point
        }
    }
}
