package pinreplay.format.synth;

/**
 * A workload model: what it is, the parameters it takes, and how it sets itself up (the lines a
 * real system would trace at start) and runs (the {@link Actor}s it registers).
 */
public interface Scenario {
    String name();

    /** One paragraph for {@code synth --list}: what runs, and what the seeds say happens to it. */
    String description();

    /** A fresh set of declared parameters with their defaults. */
    Params params();

    /** Emits the set-up events and registers the actors. */
    void setup(Synth s, Params p);
}
