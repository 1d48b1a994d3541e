package pinreplay.campaign;

import java.util.List;

/** A cell's verdict now and in the baseline ({@code before} is "absent" for a cell the baseline lacks). */
public record CellChange(String cellId, String before, String after, List<String> reasons) {
    public CellChange {
        reasons = List.copyOf(reasons);
    }
}
