package pinreplay.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.replay.run.TraceSource;

class SessionTest {
    private static final String[] TRACES = {"qemu-vfio-fsdax.txt", "dio-dax-truncate.txt", "qemu-memfile-ext4.txt",
            "dax-truncate-longterm-stall.txt", "vfio-pfnmap-bar.txt", "gup-longterm-matrix.txt"};

    private static String trace(String name) {
        return Path.of("..", "traces", name).toString();
    }

    @Test
    void backReachesTheStateSteppingForwardReached() {
        for (String t : TRACES) {
            Harness forward = new Harness("4.14");
            forward.run("load " + trace(t));
            List<String> states = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            states.add(forward.state());
            while (true) {
                String step = forward.run("step");
                if (step.startsWith("end of trace")) {
                    break;
                }
                steps.add(step);
                states.add(forward.state());
            }
            int total = steps.size();
            assertTrue(total > 3, t);
            Harness back = new Harness("4.14");
            back.run("load " + trace(t));
            // Every position of the short traces; a spread of them in the long matrix.
            for (int p = total; p >= 0; p -= total > 40 ? 13 : 1) {
                back.run("run");
                if (p < total) {
                    back.run("back " + (total - p));
                }
                assertEquals(p, back.session.events(), t);
                assertEquals(states.get(p), back.state(), t + " at event " + p);
                if (p < total) {
                    // Stepping on from a rebuilt state goes on exactly as the first time.
                    assertEquals(steps.get(p), back.run("step"), t + " after event " + p);
                }
            }
        }
    }

    @Test
    void settingTheKernelReplaysToTheSamePosition() {
        Harness changed = new Harness();
        changed.run("load " + trace("dio-dax-truncate.txt"));
        changed.run("step 4");
        String reapplied = changed.run("set kernel 4.14");
        assertTrue(reapplied.startsWith("re-applied 4 events under 4.14"), reapplied);
        Harness fresh = new Harness("4.14");
        fresh.run("load " + trace("dio-dax-truncate.txt"));
        fresh.run("step 4");
        assertEquals(fresh.state(), changed.state());
        assertTrue(changed.run("show stats").contains("kernel: 4.14, seed 0"));
    }

    @Test
    void typedEventsApplyAtOnceToTheCurrentState() {
        Harness h = new Harness();
        h.run("file: ino=5 fs=ext4 size=0x2000");
        h.run("mmap: addr=0x10000 len=0x4000 prot=rw flags=private");
        String pin = h.run("pin_user_pages: start=0x10000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p1");
        assertTrue(pin.startsWith("typed: "), pin);
        assertTrue(pin.contains("-> pin_user_pages = 4 [p1]"), pin);
        assertEquals("p1               gup      mm 1 [0x10000, +0x4000)\n", h.run("show handles"));
        String page = h.run("show page 0x11000");
        assertTrue(page.contains("pte present|write|dirty|anon"), page);
        assertTrue(page.contains("refcount 1025"), page);
        assertTrue(page.contains("folio_maybe_dma_pinned"), page);
        assertTrue(page.contains("held by p1"), page);
        h.run("unpin_user_pages: handle=p1");
        assertEquals("no live handles\n", h.run("show handles"));
    }

    @Test
    void typedEventsActForTheProcessOfTheLastEvent() {
        Harness h = new Harness("4.14");
        h.run("load " + trace("qemu-vfio-fsdax.txt"));
        h.run("step 2");
        String out = h.run("vfio_dma_map: handle=extra vaddr=0x7f0000000000 iova=0x80000000 size=0x2000");
        assertTrue(out.startsWith("typed: qemu-kvm-4242    [001]   100.000010000: vfio_dma_map:"), out);
        assertTrue(out.contains("-> vfio_dma_map = 0 [extra]"), out);
        assertTrue(h.run("show iommu").contains("iova 0x80000000-0x80002000 -> extra"));
    }

    @Test
    void aSavedSessionReplaysToTheSameState(@TempDir Path dir) {
        Harness h = new Harness("4.14");
        h.run("load " + trace("qemu-vfio-fsdax.txt"));
        h.run("step 3");
        h.run("rdma_reg_mr: handle=mr1 addr=0x7f0000100000 len=0x3000 access=write");
        h.run("step 2");
        Path saved = dir.resolve("session.txt");
        assertEquals("saved 6 events to " + saved + "\n", h.run("save " + saved));
        Harness again = new Harness("4.14");
        again.run("load " + saved);
        again.run("run");
        assertEquals(h.state(), again.state());
        assertTrue(h.state().contains("mr1"), h.state());
    }

    @Test
    void breakpointsStopBeforeEventsAndAfterViolations() {
        Harness h = new Harness("4.14");
        h.run("load " + trace("qemu-vfio-fsdax.txt"));
        assertEquals("breakpoint 1: event ftruncate\n", h.run("break event ftruncate"));
        assertEquals("breakpoint 2: violation\n", h.run("break violation"));
        assertEquals("1  event ftruncate\n2  violation\n", h.run("break"));
        String first = h.run("run");
        assertTrue(first.startsWith("stopped before line 19 (breakpoint 1: event ftruncate); next: 19: "), first);
        assertEquals(3, h.session.events());
        String second = h.run("run");
        assertTrue(second.contains("!! violation dma-into-reallocated-block [vfio0]"), second);
        assertTrue(second.endsWith("stopped after line 23 (breakpoint 2: violation)\n"), second);
        h.run("unbreak all");
        assertEquals("end of trace after 7 events\n", h.run("run"));
    }

    @Test
    void runUntilLineAndStall() {
        Harness h = new Harness("6.1");
        h.run("set policy longterm-fsdax=allow");
        h.run("load " + trace("dax-truncate-longterm-stall.txt"));
        String stall = h.run("run until stall");
        assertTrue(stall.contains("!! stall: ftruncate waits for the pins on the file to drop (1 waiting)"), stall);
        assertTrue(stall.contains("(until stall)"), stall);
        assertTrue(h.run("show lock").contains("truncate: 1 calls waiting for DAX pins to drop"));
        h.run("back 100");
        assertEquals(0, h.session.events());
        String line = h.run("run until line 11");
        assertTrue(line.startsWith("stopped before line 11 (until line 11); next: 11: "), line);
        assertFalse(line.contains("stall"), line);
        assertEquals(4, h.session.events());
    }

    @Test
    void injectorsAndSeedReplayDeterministically() {
        Harness a = new Harness();
        a.run("load " + trace("gup-longterm-matrix.txt"));
        a.run("inject add eagain:probability=50");
        a.run("run");
        String stateA = a.state();
        a.run("set seed 7");
        a.run("set seed 0");
        assertEquals(stateA, a.state());
        assertEquals("eagain:probability=50\n", a.run("inject list"));
        a.run("inject remove eagain");
        assertTrue(a.run("inject list").startsWith("no injectors"));
    }

    @Test
    void anInterruptStopsARunBetweenTwoEventsAndTheSessionGoesOn() {
        StringWriter text = new StringWriter();
        Session[] session = new Session[1];
        // Ctrl-C arrives while the run prints the violation.
        PrintWriter w = new PrintWriter(text, true) {
            @Override
            public void println(String x) {
                super.println(x);
                if (x.contains("!! violation")) {
                    session[0].interrupt();
                }
            }
        };
        session[0] = new Session(new ShellOut(w, false));
        session[0].configure("4.14", List.of(), 0, List.of());
        session[0].load(TraceSource.text(trace("qemu-vfio-fsdax.txt"), null));
        assertEquals("interrupted before line 24", session[0].advance(Long.MAX_VALUE, null, false));
        assertEquals(6, session[0].events());
        assertEquals("end of trace after 7 events", session[0].advance(Long.MAX_VALUE, null, false));
    }

    @Test
    void aPidBeyondAnyTaskIsAnErrorNotAnotherPid() {
        Harness h = new Harness("4.14");
        h.run("load " + trace("qemu-vfio-fsdax.txt"));
        h.run("run");
        assertTrue(h.run("show mm 4242").contains("pid 4242"));
        // 4242 + 2^32 once truncated to an int was pid 4242
        for (String pid : List.of("4294971538", "99999999999", "-1")) {
            h.err.getBuffer().setLength(0);
            assertEquals(2, h.dispatcher.execute("show mm " + pid, ""), pid);
            assertTrue(h.err.toString().contains("expected a pid from 0 to 4194304, got " + pid), h.err.toString());
        }
    }
}
