package pinreplay.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** Finds the 1-based line of a scenario trace that contains a text, so tests name events, not numbers. */
final class Lines {
    private Lines() {
    }

    static long of(String trace, String contains) {
        return nth(trace, contains, 1);
    }

    static long nth(String trace, String contains, int n) {
        try {
            List<String> lines = Files.readAllLines(Replays.trace(trace));
            int seen = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("#") && lines.get(i).contains(contains) && ++seen == n) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(trace + " has no line " + n + " containing '" + contains + "'");
    }
}
