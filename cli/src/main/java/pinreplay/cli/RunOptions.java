package pinreplay.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import pinreplay.campaign.spec.Shell;
import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.inject.Injectors;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;

/**
 * The options that say what a run replays under ({@code --kernel}, {@code --policy}, {@code --inject},
 * {@code --seed}), one wording for every command that takes them, and what they make: the profile and the
 * fault points. Bad values are usage errors.
 */
public final class RunOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--kernel", paramLabel = "X.Y[.Z]",
            description = "Kernel release whose rules apply (default: the newest modelled; replay and diff take the "
                    + "release a recording's header names; 'pinreplay profiles' lists them).")
    public String kernel;

    @Option(names = "--policy", paramLabel = "NAME=VALUE",
            description = "Override one rule, e.g. dax-truncate=fail (repeatable; 'pinreplay profiles' lists them).")
    public List<String> policies = new ArrayList<>();

    @Option(names = "--inject", paramLabel = "NAME[:KEY=VALUE,...]",
            description = {"Inject a fault (repeatable), e.g. mmap-unlock:race=munmap,fail-nth=1; "
                    + "'pinreplay faults' lists injectors and keys."})
    public List<String> injects = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of every injector's random choices (default: ${DEFAULT-VALUE}).")
    public long seed;

    /** --kernel, else the release a recording names (its uname -r, or null), else the newest modelled. */
    public Profile profile(String recorded) {
        return profile(kernel != null ? release(kernel) : recorded != null ? recordedRelease(recorded)
                : KernelRelease.NEWEST, policies);
    }

    /** A modelled release named on the command line. */
    public KernelRelease release(String text) {
        try {
            return KernelRelease.parseModelled(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** Release {@code r} with the rules {@code items} override. */
    public Profile profile(KernelRelease r, List<String> items) {
        try {
            return Profile.of(r, Policies.parse(items));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /** The recorded kernel's release, refused (exit 3) when the model does not describe it. */
    public static KernelRelease recordedRelease(String unameR) {
        KernelRelease r;
        try {
            r = KernelRelease.parse(unameR);
        } catch (IllegalArgumentException e) {
            throw new InputException("the recording names kernel '" + unameR + "', not a release X.Y[.Z]; give --kernel");
        }
        KernelRelease at = KernelRelease.of(r.major(), r.minor());
        if (at.compareTo(KernelRelease.OLDEST) < 0 || at.compareTo(KernelRelease.NEWEST) > 0) {
            throw new InputException("the recording is from kernel " + unameR + ", outside the modelled releases "
                    + KernelRelease.OLDEST + " to " + KernelRelease.NEWEST + "; give --kernel to replay it under one of them");
        }
        return r;
    }

    /** Appends the --policy and --inject options to {@code sb}, as a reproducing command line repeats them. */
    public StringBuilder policiesAndInjects(StringBuilder sb) {
        policies.forEach(p -> sb.append(" --policy ").append(Shell.quote(p)));
        injects.forEach(i -> sb.append(" --inject ").append(Shell.quote(i)));
        return sb;
    }

    /** The --inject specs as the core's fault points; none configured is {@link FaultPoints#NONE}. */
    public FaultPoints faults() {
        return faults(injects);
    }

    /** {@code items} as fault points with this seed, their verbose lines on the command's stderr. */
    public FaultPoints faults(List<String> items) {
        List<InjectSpec> specs = specs(items);
        return specs.isEmpty() ? FaultPoints.NONE : new Injectors(specs, seed, mixee.commandLine().getErr());
    }

    public List<InjectSpec> specs(List<String> items) {
        return items.stream().map(this::parse).toList();
    }

    public InjectSpec parse(String text) {
        try {
            return InjectSpec.parse(text);
        } catch (InjectSpecException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
