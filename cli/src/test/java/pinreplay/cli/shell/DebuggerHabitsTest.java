package pinreplay.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** gdb and rr habits in the shell: aliases, Enter repeats, reverse execution, conditional breakpoints, watchpoints. */
class DebuggerHabitsTest {
    private static final String VFIO = Path.of("..", "traces", "qemu-vfio-fsdax.txt").toString();

    private static Harness loaded() {
        Harness h = new Harness("4.14");
        h.run("load " + VFIO);
        return h;
    }

    @Test
    void loadSaysWhatItLoadedAndTheFirstStepShowsNoFtraceHeader() {
        Harness h = new Harness("4.14");
        assertEquals("loaded " + VFIO + ": 7 events, kernel 4.14 ('step' applies the next event, 'run' goes on to a "
                + "breakpoint)\n", h.run("load " + VFIO));
        String step = h.run("step");
        assertFalse(step.contains("# tracer") || step.contains("TASK-PID") || step.contains("=> irqs-off")
                || step.contains("delay"), step);
        assertTrue(step.startsWith("# QEMU backs 1 GiB"), "the trace's own comments read along: " + step);
        assertTrue(step.contains("15: qemu-kvm-4242"), step);
    }

    @Test
    void aliasesRunTheirCommands() {
        Harness a = loaded();
        Harness b = loaded();
        assertEquals(a.run("step"), b.run("s"));
        assertEquals(a.run("step 2"), b.run("n 2"));
        assertEquals(a.run("show handles"), b.run("p handles"));
        assertEquals(a.run("show handles"), b.run("print handles"));
        assertEquals("breakpoint 1: event ftruncate\n", b.run("b event ftruncate"));
        assertEquals("1  event ftruncate\n", b.run("i b"));
        assertEquals("1  event ftruncate\n", b.run("info breakpoints"));
        assertTrue(b.run("c").endsWith("end of trace after 7 events\n"), "from ftruncate, run moves on");
        assertEquals("at event 6 (line 23)\n", b.run("rs"));
        assertEquals("at event 5 (line 21)\n", b.run("reverse-step"));
        assertEquals("removed 1\n", b.run("d 1"));
        assertEquals("no breakpoints or watchpoints\n", b.run("info breakpoints"));
        assertEquals(b.run("where"), b.run("bt"));
        assertEquals(b.run("list"), b.run("l"));
        assertEquals(0, b.dispatcher.execute("q", ""));
        assertTrue(b.dispatcher.exitRequested());
    }

    @Test
    void enterRepeatsStepRunAndBackButNothingElse() {
        Harness h = loaded();
        h.dispatcher.executeTyped("s");
        h.dispatcher.executeTyped("");
        h.dispatcher.executeTyped("   ");
        assertEquals(3, h.session.events());
        h.dispatcher.executeTyped("rs");
        h.dispatcher.executeTyped("");
        assertEquals(1, h.session.events());
        h.dispatcher.executeTyped("show handles");
        h.dispatcher.executeTyped("");
        assertEquals(1, h.session.events(), "show ends the repetition");
        h.dispatcher.executeTyped("b event dma_write");
        h.dispatcher.executeTyped("c");
        assertEquals(5, h.session.events());
        h.dispatcher.executeTyped("");
        assertEquals(7, h.session.events());
        h.dispatcher.executeTyped("step -1");
        h.dispatcher.executeTyped("");
        assertEquals(7, h.session.events(), "a failed command is not repeated");
    }

    @Test
    void conditionalBreakpointsMatchAnyFieldOrTheTask() {
        Harness h = loaded();
        assertEquals("breakpoint 1: event dma_write handle=other\n", h.run("break event dma_write handle=other"));
        assertEquals("breakpoint 2: event file ino=13\n", h.run("break event file if ino=13"));
        String stop = h.run("run");
        assertTrue(stop.startsWith("stopped before line 21 (breakpoint 2: event file ino=13)"), stop);
        h.run("unbreak all");
        h.run("back 100");
        h.run("break event dma_write iova=4096 len=0x1000");
        assertTrue(h.run("run").startsWith("stopped before line 23 (breakpoint 3: event dma_write iova=4096 "
                + "len=0x1000)"));
        h.run("unbreak all");
        h.run("back 100");
        h.run("break event ftruncate pid=4242");
        h.run("break event file comm=logrotate");
        assertTrue(h.run("run").startsWith("stopped before line 21 "), "ftruncate ran as pid 5000");
        h.err.getBuffer().setLength(0);
        assertEquals(2, h.dispatcher.execute("break event dma_write colour=blue", ""));
        assertTrue(h.err.toString().startsWith("expected a field of the event (handle, ino, addr, ...) or pid, comm, "
                + "cpu, got 'colour'"), h.err.toString());
        assertEquals(2, h.dispatcher.execute("break event dma_write handle", ""));
    }

    @Test
    void reverseContinueStopsBeforeTheEventThatHitABreakpoint() {
        Harness h = loaded();
        h.run("break violation");
        h.run("run");
        assertEquals(6, h.session.events());
        String back = h.run("reverse-continue");
        assertTrue(back.startsWith("stopped before line 23 (breakpoint 1: violation); next: 23: "), back);
        assertEquals(5, h.session.events());
        assertTrue(h.run("step").contains("!! violation dma-into-reallocated-block"), "step redoes it");
        h.run("rc");
        String again = h.run("rc");
        assertEquals("at the start of the trace: nothing earlier stops there\n", again);
        assertEquals(0, h.session.events());
    }

    @Test
    void backUntilAConditionReachesTheStateSteppingForwardReached() {
        Harness h = loaded();
        h.run("run");
        String back = h.run("back until event vfio_dma_map");
        assertTrue(back.startsWith("stopped before line 17 (until event vfio_dma_map); next: 17: "), back);
        Harness forward = loaded();
        forward.run("step 2");
        assertEquals(forward.state(), h.state());
        assertTrue(h.run("back until line 16").startsWith("stopped before line 16 (until line 16)"));
        assertEquals(1, h.session.events());
    }

    @Test
    void watchpointsStopAfterTheEventThatChangesTheirObject() {
        Harness h = loaded();
        h.run("step");
        assertEquals("watchpoint 1: page 0x7f0000001000 pid 4242\n", h.run("watch page 0x7f0000001234"));
        String page = h.run("run");
        assertTrue(page.startsWith("stopped after line 17 (watchpoint 1: page 0x7f0000001000 pid 4242: pte none -> "
                + "present|write|dirty|devmap, pfn 0x0 -> 0x100000000001, refcount 0 -> 2)"), page);
        h.run("unbreak all");
        h.run("back 100");
        assertEquals("watchpoint 2: inode 12\n", h.run("watch inode 12"));
        assertEquals("watchpoint 3: handle vfio0\n", h.run("watch handle vfio0"));
        assertEquals("watchpoint 4: range 0x7f0000000000-0x7f0000200000 pid 4242\n",
                h.run("watch range 0x7f0000000000-0x7f0000200000 4242"));
        assertEquals("2  watch inode 12\n3  watch handle vfio0\n4  watch range 0x7f0000000000-0x7f0000200000 pid "
                + "4242\n", h.run("info watchpoints"));
        assertTrue(h.run("run").startsWith("stopped after line 15 (watchpoint 2: inode 12: exists 0 -> 1, size 0 -> "
                + "1073741824, blocks 0 -> 262144, block map changed)"));
        assertTrue(h.run("run").startsWith("stopped after line 16 (watchpoint 2: inode 12: mappings 0 -> 1)"));
        String pin = h.run("run");
        assertTrue(pin.contains("watchpoint 3: handle vfio0: registrations 0 -> 1, pages 0 -> 262144, frames "
                + "changed, charged pages 0 -> 262144"), pin);
        assertTrue(pin.contains("watchpoint 4: range 0x7f0000000000-0x7f0000200000 pid 4242: mapped pages 0 -> 512"),
                pin);
        String truncate = h.run("run");
        assertTrue(truncate.contains("inode 12: size 1073741824 -> 0, blocks 262144 -> 0"), truncate);
        assertTrue(truncate.contains("mapped pages 512 -> 0"), truncate);
        assertTrue(h.run("run").contains("\nstopped after line 24 (watchpoint 3: handle vfio0: registrations 1 -> 0"));
        String back = h.run("reverse-continue");
        assertTrue(back.startsWith("stopped before line 24 (watchpoint 3: handle vfio0: registrations 1 -> 0"), back);
        assertEquals(6, h.session.events());
    }

    @Test
    void watchingAPinnedPageShowsItsPinCount() {
        Harness h = new Harness();
        h.run("mmap: addr=0x10000 len=0x4000 prot=rw flags=private populate=1");
        h.run("watch page 0x11000");
        h.run("watch range 0x10000-0x14000");
        Session s = h.session;
        String typed = h.run("pin_user_pages: start=0x10000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p1");
        assertTrue(typed.endsWith("\nwatchpoint 1: page 0x11000 pid 1: refcount 1 -> 1025\n"
                + "watchpoint 2: range 0x10000-0x14000 pid 1: pinned pages 0 -> 4\n"), typed);
        assertFalse(h.run("unpin_user_pages: handle=p9").contains("watchpoint"), "an event that changes nothing watched");
        String why = s.backUntil(null);
        assertTrue(why.startsWith("stopped before typed event (watchpoint 1: page 0x11000 pid 1: refcount 1 -> 1025; "
                + "watchpoint 2: range 0x10000-0x14000 pid 1: pinned pages 0 -> 4)"), why);
    }

    @Test
    void aLoadedRecordingReplaysUnderItsReleaseUnlessOneWasChosen() {
        Harness h = new Harness();
        String recording = "../traces/real/6.1/vfio-writeback.txt";
        String loaded = h.run("load " + recording);
        assertTrue(loaded.matches("(?s)loaded \\S+: \\d+ events, kernel 6\\.1\\.176 .*"), "the header names 6.1.176: " + loaded);
        assertTrue(h.run("run").matches("end of trace after \\d+ events\n"), "no divergence under the recorded release");
        String changed = h.run("set kernel 7.2");
        assertTrue(changed.matches("(?s).*under 7\\.2: 0 violations, [1-9]\\d* divergences.*"), changed);
        assertTrue(h.run("load " + recording).contains("kernel 7.2 "), "a chosen release stays");
    }

    @Test
    void infoShowsWhatShowShows() {
        Harness h = loaded();
        h.run("step 3");
        for (String subject : Harness.SUBJECTS) {
            assertEquals(h.run("show " + subject), h.run("info " + subject), subject);
        }
        assertEquals(h.run("show page 0x7f0000000000"), h.run("i page 0x7f0000000000"));
        assertTrue(h.run("info injectors").startsWith("no injectors (available: "));
        assertTrue(h.run("info").startsWith("info subjects: breakpoints, watchpoints, injectors, mm, vmas"));
    }

    @Test
    void whereAndListShowThePosition() {
        Harness h = loaded();
        h.run("step 2");
        assertEquals(VFIO + ": event 2 of 7 (line 16, 100.000010), kernel 4.14\n"
                + "last: 16: qemu-kvm-4242    [001] .....   100.000010: mmap: addr=0x7f0000000000 len=0x40000000 "
                + "prot=rw flags=shared ino=12 pgoff=0\n"
                + "next: 17: qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=vfio0 "
                + "vaddr=0x7f0000000000 iova=0x0 size=0x40000000 prot=rw\n", h.run("where"));
        String list = h.run("list");
        assertTrue(list.startsWith("   15: "), list);
        assertTrue(list.contains("\n=> 17: "), list);
        assertEquals(7, list.split("\n").length, list);
        assertTrue(h.run("list 23").contains("   23: "));
    }
}
