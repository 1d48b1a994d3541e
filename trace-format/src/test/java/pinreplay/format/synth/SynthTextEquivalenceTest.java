package pinreplay.format.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.print.FtracePrinter;

/** {@code synth --queue} must equal {@code synth | ingest}: records written directly equal the printed text parsed. */
class SynthTextEquivalenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"qemu-vfio", "qemu-virtual-pmem", "rdma-mr", "io-uring-fixed", "odirect", "dax-truncate",
        "vfio-pfnmap", "gup-writeback", "mixed"})
    void directRecordsEqualParsedText(String name) throws IOException {
        Scenario sc = Synthesizer.scenario(name);
        Map<String, String> busy = Map.of("writeback-rate", "50");
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        EventWriter w = new EventWriter((buf, len) -> direct.write(buf, 0, len));
        Map<String, String> params = sc.params().specs().stream().anyMatch(p -> p.name().equals("writeback-rate")) ? busy : Map.of();
        Synthesizer.run(sc, sc.params().set(params), 5, 20_000, 0, w);
        w.finish();

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        EventWriter tw = new EventWriter(new EventReader(new FtracePrinter(text)));
        Synthesizer.run(sc, sc.params().set(params), 5, 20_000, 0, tw);
        tw.finish();
        assertTrue(text.size() > 20_000 * 40, "text was printed");

        ByteArrayOutputStream parsed = new ByteArrayOutputStream();
        EventWriter pw = new EventWriter((buf, len) -> parsed.write(buf, 0, len));
        new TraceParser(name + ".txt", pw, false).parse(Channels.newChannel(new ByteArrayInputStream(text.toByteArray())));
        pw.finish();
        assertArrayEquals(direct.toByteArray(), parsed.toByteArray());
    }
}
