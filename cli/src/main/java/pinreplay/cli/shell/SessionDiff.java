package pinreplay.cli.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import pinreplay.cli.ExitCodes;
import pinreplay.diff.Aligner;
import pinreplay.diff.DiffSummary;
import pinreplay.diff.TextDiff;
import pinreplay.diff.TraceDiff;

/**
 * {@code diff kernel 6.1}: the session's events and the rest of the trace replayed under the session's profile
 * and under the same profile with one change, side by side as {@code pinreplay diff} reports them. The session
 * itself stays where it was.
 */
@Command(name = "diff",
        description = {"Show what one change would do to the whole session, call by call.",
                "The session's events and the rest of the trace are replayed under the session's kernel, policies "
                        + "and injectors (A) and again with the change (B): kernel X.Y, policy KEY=VALUE (none for "
                        + "no policy), inject SPEC (none for no injector). The session stays where it is."})
final class SessionDiff extends SessionCommands.SessionCommand {
    @Parameters(index = "0", paramLabel = "kernel|policy|inject", description = "What run B changes.")
    String what;

    @Parameters(index = "1", paramLabel = "VALUE", description = "X.Y[.Z], KEY=VALUE|none, or SPEC|none.")
    String value;

    @Override
    public Integer call() {
        s.requireLoaded();
        SessionConfig a = s.config();
        SessionConfig b = a.copy();
        switch (what) {
            case "kernel" -> b.kernel(value);
            case "policy" -> b.policy(value);
            case "inject" -> {
                if (value.equals("none")) {
                    b.clearInjects();
                } else {
                    b.addInject(value);
                }
            }
            default -> throw new ShellException("expected kernel, policy or inject, got '" + what + "'");
        }
        Aligner aligner = new Aligner(new TextDiff(s.out().writer(), TraceDiff.label(s.sourceName(), a.profile(),
                a.injects()), TraceDiff.label(s.sourceName(), b.profile(), b.injects())), false);
        s.replayAll(new TraceDiff(a.profile(), a.faults(), b.profile(), b.faults(), aligner));
        DiffSummary d = aligner.summary();
        return d.differ() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
