package pinreplay.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A directory laid out like tracefs for the script to write into, and a {@code mkdir} on PATH that makes an
 * instance directory the way the kernel does (with {@code events/GROUP/NAME/enable}, {@code options/}, ...).
 */
public final class FakeTracefs {
    public final Path root;
    /** Holds the {@code mkdir} to put first on the script's PATH. */
    public final Path bin;

    public FakeTracefs(Path dir, List<String> functions, List<String> events) throws IOException {
        root = Files.createDirectories(dir.resolve("tracing"));
        Files.createDirectories(root.resolve("instances"));
        Files.writeString(root.resolve("kprobe_events"), "");
        Files.write(root.resolve("available_filter_functions"), functions);
        Files.write(root.resolve("available_events"), events);
        bin = Files.createDirectories(dir.resolve("bin"));
        StringBuilder mk = new StringBuilder("#!/bin/sh\n/bin/mkdir \"$@\" || exit $?\n");
        mk.append("for d in \"$@\"; do case \"$d\" in */instances/*)\n");
        mk.append("  /bin/mkdir -p \"$d/options\"; : > \"$d/trace\"; : > \"$d/trace_pipe\"\n");
        for (String e : events) {
            mk.append("  /bin/mkdir -p \"$d/events/").append(e.replace(':', '/')).append("\"\n");
        }
        mk.append("  k=$(sed -n 's|^[pr]:\\([^ ]*\\) .*|'\"$d\"'/events/\\1|p' \"$(dirname \"$(dirname \"$d\")\")/kprobe_events\" 2>/dev/null)\n");
        mk.append("  [ -z \"$k\" ] || /bin/mkdir -p $k\n");
        mk.append("  ;; esac; done\n");
        Path shim = bin.resolve("mkdir");
        Files.writeString(shim, mk.toString());
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path instance() {
        return root.resolve("instances/pinreplay");
    }
}
