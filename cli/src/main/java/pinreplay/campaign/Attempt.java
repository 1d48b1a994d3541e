package pinreplay.campaign;

import java.util.List;

/** One run of a cell and its verdict; {@code reasons} say why it failed (empty on a pass). */
public record Attempt(Status status, int exitStatus, List<String> reasons) {
    public Attempt {
        reasons = List.copyOf(reasons);
    }
}
