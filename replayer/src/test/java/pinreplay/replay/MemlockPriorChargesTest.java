package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * Charges made before the recording (the memlock line's locked_vm and pinned_vm) explain a recorded success the known
 * counter refuses only when giving them all back brings the charge within RLIMIT_MEMLOCK (vfio's "mm->locked_vm +
 * lock_acct + 1 > limit", ib_umem_get()'s "new_pinned > lock_limit"): 1024 pages under a 16-page limit never are.
 */
class MemlockPriorChargesTest {
    @ParameterizedTest
    @CsvSource({"6.1, 0x400000, false", "7.2, 0x400000, false", "6.1, 0x10000, true"})
    void aPriorChargeExplainsOnlyWhatItsReturnCouldLetThrough(String kernel, String size, boolean agrees) {
        Replays r = Replays.text(String.join("\n",
                "        snapshot-0       [000] .....     0.000000: vma: mm=500 start=0x7f1000000000 end=0x7f1000400000"
                        + " prot=rw flags=private",
                "        snapshot-0       [000] .....     0.000000: memlock: pid=500 rlimit=65536 cap_ipc_lock=0 uid=1000"
                        + " euid=1000 suid=1000 locked_vm=4 pinned_vm=4",
                "           prog-500     [000] .....   100.000005: fault: addr=0x7f1000000000 len=0x400000 write=1",
                "           prog-500     [000] .....   100.000010: vfio_dma_map: handle=m vaddr=0x7f1000000000 iova=0x0 size="
                        + size + " prot=rw ret=0",
                "           prog-500     [000] .....   100.000020: rdma_reg_mr: handle=r addr=0x7f1000000000 len=" + size
                        + " access=rw ret=0", ""), kernel, FaultPoints.NONE);
        assertEquals(agrees, r.call(4).agrees(), r.jsonl());
        assertEquals(agrees, r.call(5).agrees(), r.jsonl());
    }
}
