package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.campaign.spec.Expectation;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;
import pinreplay.cli.InputException;

class CommandCellRunnerTest {
    @TempDir
    Path tmp;

    private final List<List<String>> calls = new ArrayList<>();

    /** Pretends to be pinreplay: synth prints two lines, ingest succeeds, replay prints two calls. */
    private CommandCellRunner runner(int ingestCode) {
        return new CommandCellRunner((out, err, args) -> {
            calls.add(List.of(args));
            try {
                switch (args[0]) {
                    case "synth" -> out.write("# tracer: nop\nqemu-1 [000] ..... 1.000000: fault: addr=0x1000 write=1\n"
                            .getBytes(StandardCharsets.UTF_8));
                    case "ingest" -> err.write(ingestCode == 0 ? "" : "t.trace:7: expected an event, got 'x'");
                    default -> out.write(("{\"line\":2,\"ts\":1.000000,\"pid\":1,\"event\":\"pin_user_pages\",\"result\":1,"
                            + "\"latency_us\":1.5}\n{\"line\":3,\"ts\":1.000001,\"pid\":1,\"event\":\"pin_user_pages\","
                            + "\"result\":1,\"latency_us\":12}\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return args[0].equals("ingest") ? ingestCode : args[0].equals("replay") ? 1 : 0;
        });
    }

    @Test
    void synthTracesAreWrittenAndIngestedOnceThenReplayedFromTheQueue() throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("fs", "ext4");
        params.put("share", "on");
        TraceSpec t = new TraceSpec("vfio", null, "qemu-vfio", params, 7, 500);
        CommandCellRunner r = runner(0);
        PreparedTrace p = r.prepare(t, tmp);

        assertEquals(List.of("synth", "qemu-vfio", "--param", "fs=ext4", "--param", "share=on", "--seed", "7",
                "--events", "500"), calls.get(0));
        assertTrue(Files.readString(p.text()).startsWith("# tracer: nop\n"));
        assertEquals(List.of("ingest", p.text().toString(), "--queue", tmp.resolve("vfio.queue").toString(), "--force"),
                calls.get(1));

        Cell cell = new Cell(0, "vfio.6.1.wait.pin.s3", t, "6.1", new PolicySet("wait", Map.of("dax-truncate", "wait")),
                new InjectorSet("pin", List.of("enomem:probability=50")), 3, Expectation.NONE);
        CellResult res = r.run(cell, p);
        assertEquals(List.of("replay", "--queue", p.queue().toString(), "--kernel", "6.1", "--policy", "dax-truncate=wait",
                "--inject", "enomem:probability=50", "--seed", "3", "--format", "jsonl"), calls.get(2));
        assertEquals(1, res.exitStatus());
        assertEquals(2, res.records().size());
        assertEquals(2, res.latency().get("pin_user_pages").getTotalCount());
        assertEquals(12_000, res.latency().get("pin_user_pages").getMaxValue(), 12_000 / 1000.0);
    }

    @Test
    void aTraceThatDoesNotIngestSaysWhy() {
        TraceSpec t = new TraceSpec("t", tmp.resolve("t.trace"), null, Map.of(), 0, 0);
        InputException e = assertThrows(InputException.class, () -> runner(3).prepare(t, tmp));
        assertTrue(e.getMessage().endsWith("exited with 3: t.trace:7: expected an event, got 'x'"), e.getMessage());
    }
}
