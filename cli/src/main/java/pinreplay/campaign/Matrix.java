package pinreplay.campaign;

import java.util.ArrayList;
import java.util.List;

import pinreplay.campaign.spec.CampaignSpec;
import pinreplay.campaign.spec.InjectorSet;
import pinreplay.campaign.spec.PolicySet;
import pinreplay.campaign.spec.TraceSpec;

/** Expands a spec into its cells: nested in axis order, so indices and ids never depend on a map's order. */
public final class Matrix {
    private Matrix() {
    }

    public static List<Cell> cells(CampaignSpec spec) {
        List<Cell> out = new ArrayList<>();
        for (TraceSpec t : spec.traces()) {
            for (String k : spec.kernels()) {
                for (PolicySet p : spec.policies()) {
                    for (InjectorSet i : spec.injectors()) {
                        for (long seed : spec.seeds()) {
                            String id = Cell.id(t.name(), k, p.name(), i.name(), seed);
                            out.add(new Cell(out.size(), id, t, k, p, i, seed,
                                    spec.expectationFor(t.name(), k, p.name(), i.name(), seed)));
                        }
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
