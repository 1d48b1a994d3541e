package pinreplay.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import pinreplay.campaign.report.SummaryReader;
import pinreplay.cli.InputException;

/**
 * {@code campaign merge DIR...}: combines the outputs of the shards of one campaign into the result
 * a single run would have given. The shards must come from the same spec (same digest) and together
 * hold every cell exactly once.
 */
public final class Merge {
    private Merge() {
    }

    public static CampaignResult merge(List<Path> dirs) {
        CampaignInfo info = null;
        Path first = null;
        Map<Integer, CellOutcome> cells = new TreeMap<>();
        Map<Integer, Path> from = new TreeMap<>();
        for (Path dir : dirs) {
            SummaryReader.Read r = SummaryReader.read(dir);
            if (info == null) {
                info = r.info();
                first = dir;
            } else if (!info.digest().equals(r.info().digest())) {
                throw new InputException(dir + ": expected a shard of the campaign in " + first + " (spec sha256 "
                        + info.digest().substring(0, 12) + "), got spec sha256 " + r.info().digest().substring(0, 12));
            }
            for (CellOutcome c : r.cells()) {
                Path other = from.putIfAbsent(c.cell().index(), dir);
                if (other != null) {
                    throw new InputException(dir + ": expected each cell in one shard, got " + c.cell().id()
                            + " also in " + other);
                }
                cells.put(c.cell().index(), c);
            }
        }
        if (info == null) {
            throw new InputException("campaign merge: expected at least one shard directory, got none");
        }
        if (cells.size() != info.cellsTotal()) {
            List<String> ids = Matrix.ids(info);
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (!cells.containsKey(i)) {
                    missing.add(ids.get(i));
                }
            }
            throw new InputException("campaign merge: expected all " + info.cellsTotal() + " cells, got " + cells.size()
                    + "; missing " + missing.size() + " (first " + missing.get(0) + "): is a shard's directory left out?");
        }
        return new CampaignResult(info, new ArrayList<>(cells.values()), null); // by index: a TreeMap
    }
}
