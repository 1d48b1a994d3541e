package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.TraceFormatException;

/**
 * A PREEMPT_RT kernel before 6.12 prints 7 flag characters (the RT patch's trace_print_lat_fmt(): need-resched-lazy
 * and preempt-lazy-depth added): they are kept, packed, and print back as they were.
 */
class PreemptRtFlagsTest {
    @Test
    void sevenFlagCharactersAreKeptAndPrintedBack() {
        String text = Parsed.sample("a14-preempt-rt.txt");
        Parsed p = Parsed.of(text);
        assertEquals(EventType.VFIO_DMA_MAP, p.atLine(15).type());
        assertEquals("dNLh2.1", p.atLine(16).flags());
        assertEquals("D.Ls.1.", p.atLine(18).flags());
        assertEquals(text, p.ftrace());
    }

    @Test
    void aCharacterNoKernelPrintsIsStillAnError() {
        String line = "        qemu-kvm-4242    [001] dNLh2.?   100.000200: mmap_lock_released: mm=0 memcg_path=/ write=true\n";
        TraceFormatException m = assertThrows(TraceFormatException.class, () -> Parsed.of(line));
        assertTrue(m.getMessage().contains("expected irq flags"), m.getMessage());
    }
}
