package pinreplay.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import pinreplay.campaign.spec.SpecParser;
import pinreplay.cli.CampaignCommands;

class ShardMergeTest {
    @TempDir
    Path tmp;

    private int merge(StringWriter err, String... args) {
        CommandLine cl = CampaignCommands.withRunner(TestCampaigns.runner());
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "merge";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @Test
    void shardsPickDisjointCellsByIndexThatCoverTheMatrix() throws Exception {
        List<Cell> cells = Matrix.cells(SpecParser.parse(TestCampaigns.write(tmp)));
        List<Cell> one = new Shard(1, 3).select(cells);
        List<Cell> two = new Shard(2, 3).select(cells);
        List<Cell> three = new Shard(3, 3).select(cells);
        assertEquals(cells.size(), one.size() + two.size() + three.size());
        assertEquals(List.of(0, 3, 6), one.stream().limit(3).map(Cell::index).toList());
        assertEquals(List.of(1, 4, 7), two.stream().limit(3).map(Cell::index).toList());
    }

    @Test
    void shardOneAndTwoMergedEqualOneRunByteForByte() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path whole = tmp.resolve("whole");
        Path s1 = tmp.resolve("shard1");
        Path s2 = tmp.resolve("shard2");
        Path merged = tmp.resolve("merged");
        assertEquals(1, TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", whole.toString()));
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", s1.toString(), "--shard", "1/2");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", s2.toString(), "--shard", "2/2");
        assertTrue(TestCampaigns.files(s1).get("summary.json").contains("\"cells_run\": 16"));

        StringWriter err = new StringWriter();
        assertEquals(1, merge(err, s2.toString(), s1.toString(), "--out", merged.toString()), err.toString());
        assertEquals(TestCampaigns.files(whole), TestCampaigns.files(merged));
    }

    @Test
    void mergeWithAShardMissingNamesAMissingCell() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        Path s1 = tmp.resolve("shard1");
        TestCampaigns.campaign(TestCampaigns.runner(), spec.toString(), "--out", s1.toString(), "--shard", "1/2");
        StringWriter err = new StringWriter();
        assertEquals(3, merge(err, s1.toString(), "--out", tmp.resolve("m").toString()));
        assertTrue(err.toString().contains("expected all 32 cells, got 16; missing 16 (first qemu-fsdax.4.14.default.none.s2)"),
                err.toString());
    }

    @Test
    void badShardIsAUsageError() throws Exception {
        Path spec = TestCampaigns.write(tmp.resolve("spec"));
        StringWriter err = new StringWriter();
        assertEquals(2, TestCampaigns.campaign(TestCampaigns.runner(), err, spec.toString(), "--shard", "3/2"));
        assertTrue(err.toString().contains("expected I/N with 1 <= I <= N, got '3/2'"), err.toString());
    }
}
