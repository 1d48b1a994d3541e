package pinreplay.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import pinreplay.record.KernelOffer;
import pinreplay.record.ProbeSet;
import pinreplay.record.RecordScript;

/**
 * {@code pinreplay record}: records a trace that replay understands without any native marker, on a
 * real machine as root. Chooses the probes from what the running kernel offers, then runs the shell
 * script that {@code --dry-run} prints.
 */
@Command(name = "record",
        description = {"Record a trace of the pinning paths on this machine (as root).",
                "Kprobes on GUP and its callers, the syscalls and tracepoints that change address spaces and files, "
                        + "and a snapshot of the targets' mappings and the mounts, in a tracefs instance that is "
                        + "removed afterwards.",
                "  pinreplay record -o run.trace -- ./my-test args",
                "  pinreplay record -o qemu.trace --duration 30 --pid 4242",
                "  pinreplay record --dry-run --symbols System.map-6.1 -o /tmp/t -- ./scenario"})
final class RecordCommand extends Subcommand {
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The trace file to write.")
    String output;

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
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "expected --pid PID... or -- CMD ARGS... (one of them)");
        }
        if (!instance.matches("[A-Za-z0-9_.-]+")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--instance: expected a plain name, got '" + instance + "'");
        }
        String rel = release != null ? release : Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        KernelOffer offer;
        try {
            offer = symbols != null ? KernelOffer.fromSymbols(symbols, rel)
                    : Files.isReadable(tracefs.resolve("available_filter_functions")) ? KernelOffer.fromTracefs(tracefs, rel)
                    : dryRun ? KernelOffer.everything(rel)
                    : null;
        } catch (IOException e) {
            throw new InputException("record: cannot read the kernel's offer: " + e.getMessage());
        }
        if (offer != null && offer.functionCount() == 0 && symbols != null) {
            throw new InputException("record: " + symbols + " lists no kernel function (Debian's System.map is a placeholder;"
                    + " use the target's /proc/kallsyms, or --dry-run without --symbols)");
        }
        if (offer == null) {
            spec.commandLine().getErr().println("pinreplay: record: " + tracefs
                    + "/available_filter_functions is not readable: run as root on a kernel with tracefs (or --dry-run)");
            return ExitCodes.SYSTEM_REFUSED;
        }
        String script = RecordScript.render(ProbeSet.choose(offer), new RecordScript.Request(tracefs.toString(), instance,
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
            return new ProcessBuilder("/bin/sh", file.toString()).inheritIO().start().waitFor();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
