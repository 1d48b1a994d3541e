package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.List;

import pinreplay.inject.InjectSpec;
import pinreplay.inject.InjectSpecException;
import pinreplay.inject.Injectors;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.cli.InputException;
import pinreplay.cli.RunOptions;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;

/**
 * What a session replays under: the kernel release, policy overrides, injectors and their seed. Every
 * change is validated before it is taken, so a bad value leaves the session as it was.
 */
final class SessionConfig {
    private KernelRelease release = KernelRelease.NEWEST;
    /** The release was chosen ({@code shell --kernel}, {@code set kernel}): a loaded recording does not change it. */
    private boolean chosen;
    private final List<String> policies = new ArrayList<>();
    private long seed;
    private final List<String> injects = new ArrayList<>();

    void configure(String kernel, List<String> policyItems, long seedValue, List<String> injectSpecs) {
        KernelRelease r = kernel == null ? KernelRelease.NEWEST : parseRelease(kernel);
        parsePolicies(policyItems);
        for (String s : injectSpecs) {
            parseInject(s);
        }
        release = r;
        chosen = kernel != null;
        policies.clear();
        policies.addAll(policyItems);
        seed = seedValue;
        injects.clear();
        injects.addAll(injectSpecs);
    }

    /** A copy to change without touching this one ({@code diff kernel 6.1}). */
    SessionConfig copy() {
        SessionConfig c = new SessionConfig();
        c.release = release;
        c.chosen = chosen;
        c.policies.addAll(policies);
        c.seed = seed;
        c.injects.addAll(injects);
        return c;
    }

    void kernel(String kernel) {
        release = parseRelease(kernel);
        chosen = true;
    }

    /**
     * The release a trace about to be loaded replays under, unless one was chosen: the one its recording header
     * names ({@code uname -r}; null: none), as {@code replay} takes it, else the newest.
     */
    KernelRelease forLoad(String recorded) {
        if (chosen) {
            return release;
        }
        try {
            return recorded == null ? KernelRelease.NEWEST : RunOptions.recordedRelease(recorded);
        } catch (InputException e) {
            throw new ShellException(e.getMessage() + " (here: set kernel X.Y, then load)");
        }
    }

    void loaded(KernelRelease r) {
        release = r;
    }

    /** Sets one policy ({@code key=value}), replacing an earlier value of the key; {@code none} clears all. */
    void policy(String item) {
        List<String> next = new ArrayList<>();
        if (!"none".equals(item)) {
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            for (String p : policies) {
                if (!p.startsWith(key + "=")) {
                    next.add(p);
                }
            }
            next.add(item);
            parsePolicies(next);
        }
        policies.clear();
        policies.addAll(next);
    }

    void seed(long s) {
        seed = s;
    }

    void addInject(String spec) {
        parseInject(spec);
        injects.add(spec);
    }

    void clearInjects() {
        injects.clear();
    }

    /** Removes every injector of that name; false when none was configured. */
    boolean removeInject(String name) {
        return injects.removeIf(s -> s.equals(name) || s.startsWith(name + ":"));
    }

    KernelRelease release() {
        return release;
    }

    List<String> policies() {
        return List.copyOf(policies);
    }

    long seed() {
        return seed;
    }

    List<String> injects() {
        return List.copyOf(injects);
    }

    Profile profile() {
        return Profile.of(release, parsePolicies(policies));
    }

    /** Fresh injectors, seeded as at the start, so a replay of the same events fires the same faults. */
    FaultPoints faults() {
        return injects.isEmpty() ? FaultPoints.NONE
                : new Injectors(injects.stream().map(SessionConfig::parseInject).toList(), seed);
    }

    private static KernelRelease parseRelease(String kernel) {
        try {
            return KernelRelease.parseModelled(kernel);
        } catch (IllegalArgumentException e) {
            throw new ShellException(e.getMessage());
        }
    }

    private static Policies parsePolicies(List<String> items) {
        try {
            return Policies.parse(items);
        } catch (IllegalArgumentException e) {
            throw new ShellException(e.getMessage());
        }
    }

    private static InjectSpec parseInject(String spec) {
        try {
            return InjectSpec.parse(spec);
        } catch (InjectSpecException | IllegalArgumentException e) {
            throw new ShellException(e.getMessage());
        }
    }
}
