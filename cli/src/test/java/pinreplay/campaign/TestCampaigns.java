package pinreplay.campaign;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import picocli.CommandLine;

import pinreplay.cli.CampaignCommands;

/** A small campaign (two traces, 32 cells) and helpers to run the campaign command in-process. */
final class TestCampaigns {
    static final String SPEC = String.join("\n",
            "campaign: smoke",
            "traces:",
            "  - name: qemu-fsdax",
            "    file: qemu-fsdax.trace",
            "  - name: vfio-synth",
            "    synth:",
            "      scenario: qemu-vfio",
            "      params: {fs: ext4, share: \"on\"}",
            "      seed: 7",
            "      events: 60",
            "kernels: [\"4.14\", \"6.1\"]",
            "policies:",
            "  default: {}",
            "  wait: {dax-truncate: wait}",
            "injectors:",
            "  none: []",
            "  migrate: [\"migrate:probability=100,times=1\"]",
            "seeds: [1, 2]",
            "expect:",
            "  - when: {trace: qemu-fsdax, kernel: \"4.14\"}",
            "    violations: [dma-into-reallocated-block]",
            "reruns: 1",
            "latency: {threshold_percent: 25, min_count: 5}",
            "");

    /** The cell the fake makes flaky. */
    static final String FLAKY = "qemu-fsdax.6.1.default.none.s1";

    private TestCampaigns() {
    }

    /** Writes the spec and its file trace (200 events, 3 of which make the violation) into {@code dir}. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("qemu-fsdax.trace"), String.join("\n", fsdaxTrace(200)) + "\n");
        Path spec = dir.resolve("smoke.yaml");
        Files.writeString(spec, SPEC);
        return spec;
    }

    static List<String> fsdaxTrace(int n) {
        return FakeCellRunner.synthText(new pinreplay.campaign.spec.TraceSpec("t", null, "x", Map.of(), 0, n));
    }

    static FakeCellRunner runner() {
        return new FakeCellRunner("4.14").failFirstAttempts(FLAKY, 1);
    }

    /** Runs {@code pinreplay campaign ARGS} with {@code runner}; returns the exit code. */
    static int campaign(CellRunner runner, StringWriter err, String... args) {
        CommandLine cl = CampaignCommands.withRunner(runner);
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    static int campaign(CellRunner runner, String... args) {
        return campaign(runner, new StringWriter(), args);
    }

    /** Every file under {@code dir} by relative path, with its bytes as text. */
    static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                // gzip bytes compared as such (Java's gzip header has no timestamp: the same text, the same bytes)
                out.put(dir.relativize(p).toString(), p.toString().endsWith(".gz")
                        ? java.util.HexFormat.of().formatHex(Files.readAllBytes(p))
                        : Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The lines of a file, gunzipped when its name ends in .gz (a cell's kept records). */
    static List<String> lines(Path p) throws IOException {
        if (p.getFileName().toString().endsWith(".gz")) {
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
                return new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
    }
}
