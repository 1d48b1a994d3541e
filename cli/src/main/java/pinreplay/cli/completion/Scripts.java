package pinreplay.cli.completion;

import picocli.CommandLine;

/** The completion scripts {@code pinreplay completion} prints, written from the command tree and the core. */
public final class Scripts {
    private Scripts() {
    }

    public static String bash(CommandLine root) {
        return BashScript.of(root);
    }

    public static String zsh(CommandLine root) {
        return ZshScript.of(root);
    }
}
