package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/replay.md, Outcome records: a call whose recorded {@code ret} the model does not reproduce is a divergence: exit 1. */
class ReplayDivergenceTest {
    private static String trace(String ret) {
        return "# tracer: nop\n"
                + "         app-100     [000] .....   1.000001: mmap: addr=0x10000000 len=0x4000 prot=r flags=private\n"
                + "         app-100     [000] .....   1.000002: pin_user_pages: start=0x10000000 nr_pages=4 "
                + "gup_flags=FOLL_WRITE handle=h ret=" + ret + "\n";
    }

    @Test
    void aDivergenceAloneExitsOneAndAnAgreementZero() {
        Run differs = Run.of(trace("4"), "replay", "-", "--kernel", "6.15", "--format", "jsonl");
        assertEquals(ExitCodes.FINDINGS, differs.code(), differs.out() + differs.err());
        assertTrue(differs.out().contains("\"result\":\"-EFAULT\",") && differs.out().contains("\"observed\":4,\"agrees\":false"),
                differs.out());
        Run agrees = Run.of(trace("-EFAULT"), "replay", "-", "--kernel", "6.15", "--format", "jsonl");
        assertEquals(ExitCodes.OK, agrees.code(), agrees.out() + agrees.err());
        assertTrue(agrees.out().contains("\"observed\":\"-EFAULT\",\"agrees\":true"), agrees.out());
    }
}
