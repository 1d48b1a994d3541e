package pinreplay.campaign;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.SpecException;
import pinreplay.campaign.spec.TraceSpec;

/** Expands a campaign into its cells: nested in axis order, so indices and ids never depend on a map's order. */
public final class Matrix {
    private Matrix() {
    }

    /** Receives the matrix's cells in index order. */
    private interface Visitor {
        void cell(TraceSpec trace, String kernel, PolicySet policy, InjectorSet injectors, long seed);
    }

    private static void walk(CampaignInfo info, Visitor v) {
        for (TraceSpec t : info.traces()) {
            for (String k : info.kernels()) {
                for (PolicySet p : info.policies()) {
                    for (InjectorSet i : info.injectors()) {
                        for (long seed : info.seeds()) {
                            v.cell(t, k, p, i, seed);
                        }
                    }
                }
            }
        }
    }

    public static List<Cell> cells(CampaignSpec spec) {
        List<Cell> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        walk(CampaignInfo.of(spec), (t, k, p, i, seed) -> {
            String id = Cell.id(t.name(), k, p.name(), i.name(), seed);
            if (!ids.add(id)) {
                throw new SpecException(spec.name() + ": expected names that make distinct cell ids, got '" + id
                        + "' twice (a name with a '.' runs into the next axis; rename one)");
            }
            out.add(new Cell(out.size(), id, t, k, p, i, seed, spec.expectationFor(t.name(), k, p.name(), i.name(), seed)));
        });
        return List.copyOf(out);
    }

    /** Every cell id of the matrix, in index order. */
    public static List<String> ids(CampaignInfo info) {
        List<String> out = new ArrayList<>();
        walk(info, (t, k, p, i, seed) -> out.add(Cell.id(t.name(), k, p.name(), i.name(), seed)));
        return List.copyOf(out);
    }
}
