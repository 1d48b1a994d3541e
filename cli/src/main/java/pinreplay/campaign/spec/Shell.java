package pinreplay.campaign.spec;

/** Quoting for the one-line commands the report prints: POSIX sh single quotes when needed. */
public final class Shell {
    private Shell() {
    }

    /** The word unchanged when it is shell-safe, else in single quotes. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().allMatch(Shell::safe)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean safe(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_./=:,+@%".indexOf(c) >= 0;
    }
}
