package pinreplay.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks where an output will go before the work that fills it starts, so that a path that cannot be written is
 * exit 4 at once rather than after a long replay or campaign.
 */
public final class OutputPaths {
    private OutputPaths() {
    }

    /** A file {@code option} will create or replace: its directory exists and it can be written there. */
    public static void checkFile(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new OutputException(option + " " + file + ": is a directory, expected a file");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new OutputException(option + " " + file + ": no such directory " + dir);
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(dir)) {
            throw new OutputException(option + " " + file + ": permission denied");
        }
    }

    /** A directory {@code option} will create if needed and write into. */
    public static void checkDirectory(Path dir, String option) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null || !Files.isDirectory(p)) {
            throw new OutputException(option + " " + dir + ": " + (p == null ? "no such directory"
                    : p + " is not a directory"));
        }
        if (!Files.isWritable(p)) {
            throw new OutputException(option + " " + dir + ": permission denied in " + p);
        }
    }
}
