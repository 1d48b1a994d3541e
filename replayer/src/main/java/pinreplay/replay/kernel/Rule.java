package pinreplay.replay.kernel;

import java.util.List;

/**
 * One release-dependent rule of the model: what the kernel does, from which release, where to read it,
 * and the {@code --policy} key that overrides it. {@code unverified} marks releases inferred from mail
 * dates and merge windows rather than read from a tag.
 *
 * @param name       stable identifier
 * @param function   the kernel function that implements it
 * @param since      first release with the behaviour
 * @param until      first release without it, or null
 * @param unverified whether {@code since}/{@code until} are inferred, not read from a tag ([U])
 * @param policyKey  the {@code --policy} key that overrides it, or null
 * @param values     the policy values
 * @param source     where to check it: file and commit or mail
 * @param summary    the behaviour in one sentence
 */
public record Rule(String name, String function, KernelRelease since, KernelRelease until, boolean unverified,
        String policyKey, List<String> values, String source, String summary) {

    /** Whether {@code r} has the behaviour ({@link KernelRelease#asShipped()}: X.Y is its newest stable update). */
    public boolean activeIn(KernelRelease r) {
        KernelRelease shipped = r.asShipped();
        return shipped.atLeast(since) && (until == null || shipped.compareTo(until) < 0);
    }

    /** {@code 5.11}, {@code 4.15-5.1}, with {@code [U]} when unverified. */
    public String releases() {
        String s = until == null ? since + "+" : since + " until " + until;
        return unverified ? s + " [U]" : s;
    }
}
