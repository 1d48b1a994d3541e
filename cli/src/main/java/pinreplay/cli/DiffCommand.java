package pinreplay.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.diff.Aligner;
import pinreplay.diff.DiffReport;
import pinreplay.diff.DiffSummary;
import pinreplay.diff.HtmlDiff;
import pinreplay.diff.JsonlDiff;
import pinreplay.diff.OutcomeFiles;
import pinreplay.diff.TextDiff;
import pinreplay.diff.TraceDiff;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.PriorMemory;
import pinreplay.replay.run.TraceSource;

/**
 * {@code pinreplay diff}: run A and run B of one trace, replayed in step in-process (B takes A's kernel, policies
 * and injectors except what an {@code --against-*} option replaces), or two recorded {@code replay --format
 * jsonl} files; reports each call whose result, retries, violations, stall or latency differ. Exit 1 when
 * something differs, 0 when nothing does, as diff(1).
 */
@Command(name = "diff",
        description = {"Compare two runs of a trace call by call and report what changed.",
                "The runs are one trace under two kernel releases, policy sets or injector sets (run B takes run A's "
                        + "options except those an --against option replaces), or two files written by "
                        + "'replay --format jsonl'. Calls are matched by trace line and event; for each that differs "
                        + "the report gives its result, retries, violations, stall and simulated latency in both "
                        + "runs. Exit 1 when the runs differ, 0 when they do not, as diff(1)."})
final class DiffCommand extends Subcommand {
    /** Output formats. */
    enum Format {
        text, jsonl, html
    }

    @Parameters(arity = "1..2", paramLabel = "TRACE|A.jsonl B.jsonl",
            description = "A trace to replay twice (- reads standard input), or two outcome files to compare.")
    List<String> inputs = new ArrayList<>();

    @Mixin
    RunOptions run;

    @Option(names = "--against-kernel", paramLabel = "X.Y[.Z]", description = "Run B's kernel release.")
    String againstKernel;

    @Option(names = "--against-policy", paramLabel = "NAME=VALUE|none",
            description = "Run B's policies instead of run A's (repeatable; none for no policy).")
    List<String> againstPolicies;

    @Option(names = "--against-inject", paramLabel = "NAME[:KEY=VALUE,...]|none",
            description = "Run B's injectors instead of run A's (repeatable; none for no injection).")
    List<String> againstInjects;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|jsonl|html",
            description = "Output format; html is one self-contained page with the runs side by side "
                    + "(default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--all", description = "List the calls that did not change too.")
    boolean all;

    @Option(names = "--strict-state", description = "Refuse to assume memory no event described, as replay "
            + "--strict-state does (exit 3).")
    boolean strictState;

    @Override
    public Integer call() {
        boolean files = inputs.size() == 2;
        boolean against = againstKernel != null || againstPolicies != null || againstInjects != null;
        if (files && (against || run.kernel != null || !run.policies.isEmpty() || !run.injects.isEmpty() || strictState)) {
            throw new ParameterException(spec.commandLine(), "two outcome files are compared as recorded: "
                    + "--kernel, --policy, --inject and their --against forms apply to a TRACE");
        }
        if (!files && !against) {
            throw new ParameterException(spec.commandLine(), "expected what run B changes (--against-kernel, "
                    + "--against-policy or --against-inject), or two outcome files");
        }
        PipeGuard stdout = new PipeGuard(main.stdout());
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new BufferedOutputStream(stdout, 1 << 16),
                StandardCharsets.UTF_8));
        int code = files ? diffFiles(out) : diffTrace(out);
        out.flush();
        if (out.checkError()) {
            if (stdout.closedByReader()) {
                return ExitCodes.OK; // | head: the reader has what it wanted
            }
            throw new OutputException("cannot write the output");
        }
        return code;
    }

    private int diffFiles(PrintWriter out) {
        String a = inputs.get(0);
        String b = inputs.get(1);
        if ("-".equals(a) && "-".equals(b)) {
            throw new ParameterException(spec.commandLine(), "expected at most one outcome file on standard input (-)");
        }
        try (BufferedReader ra = reader(a); BufferedReader rb = reader(b)) {
            DiffSummary s = new OutcomeFiles(ra, TraceSource.name(a), rb, TraceSource.name(b))
                    .readTo(new Aligner(report(out, TraceSource.name(a), TraceSource.name(b)), all));
            return s.differ() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (IOException e) {
            throw new InputException("cannot close an outcome file: " + e.getMessage());
        }
    }

    private BufferedReader reader(String input) {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(TraceSource.open(input, main.stdin())),
                StandardCharsets.UTF_8));
    }

    private int diffTrace(PrintWriter out) {
        TraceSource source = TraceSource.text(inputs.get(0), main.stdin());
        String recorded = source.recordedRelease();
        KernelRelease ra = run.kernel != null ? run.release(run.kernel)
                : recorded != null ? RunOptions.recordedRelease(recorded) : KernelRelease.NEWEST;
        KernelRelease rb = againstKernel != null ? run.release(againstKernel) : ra;
        List<String> pb = againstPolicies == null ? run.policies : none(againstPolicies, "--against-policy");
        List<String> ib = againstInjects == null ? run.injects : none(againstInjects, "--against-inject");
        Profile a = run.profile(ra, run.policies);
        Profile b = run.profile(rb, pb);
        Aligner aligner = new Aligner(report(out, TraceDiff.label(source.name(), a, run.injects),
                TraceDiff.label(source.name(), b, ib)), all);
        TraceDiff diff = new TraceDiff(a, run.faults(), b, run.faults(ib), aligner);
        diff.strictState(strictState);
        try {
            source.readTo(diff, false, false, spec.commandLine().getErr());
        } catch (PriorMemory.UndescribedMemory e) {
            throw new InputException(source.name() + ": --strict-state: " + e.getMessage());
        }
        if (diff.summary(0).eventsReplayed == 0) {
            out.flush();
            spec.commandLine().getErr().println("pinreplay: " + source.name() + ": no event to replay ("
                    + diff.summary(0).eventsPassedThrough + " unknown or unmodelled)");
            return ExitCodes.BAD_INPUT;
        }
        return aligner.summary().differ() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private DiffReport report(PrintWriter out, String a, String b) {
        return switch (format) {
            case text -> new TextDiff(out, a, b);
            case jsonl -> new JsonlDiff(out, a, b);
            case html -> new HtmlDiff(out, a, b);
        };
    }

    /** {@code none} alone is the empty list; beside other values it is refused. */
    private List<String> none(List<String> values, String option) {
        if (values.contains("none")) {
            if (values.size() > 1) {
                throw new ParameterException(spec.commandLine(), option + " none stands alone, got " + values);
            }
            return List.of();
        }
        return values;
    }
}
