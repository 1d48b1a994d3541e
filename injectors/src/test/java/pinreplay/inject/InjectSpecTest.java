package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InjectSpecTest {
    @Test
    void parsesKnobsAndRace() throws Exception {
        InjectSpec s = InjectSpec.parse("mmap-unlock:probability=50,interval=2,times=3,fail-nth=1,race=munmap");
        assertEquals("mmap-unlock", s.name());
        assertEquals(50, s.probability());
        assertEquals(2, s.interval());
        assertEquals(3, s.times());
        assertEquals(1, s.failNth());
        assertEquals(MmapUnlock.Race.MUNMAP.ordinal(), s.option(MmapUnlock.RACE));
    }

    @Test
    void badValueNamesTheKeyAndExpectation() {
        InjectSpecException e = assertThrows(InjectSpecException.class,
                () -> InjectSpec.parse("eagain:probability=200"));
        assertTrue(e.getMessage().contains("probability expected an integer in [0, 100], got '200'"));
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        InjectSpecException e = assertThrows(InjectSpecException.class,
                () -> InjectSpec.parse("mmap-unlock:fail-nth=1,race=munmap,fail-nth=2"));
        assertEquals("--inject mmap-unlock: expected each key once, got 'fail-nth' again", e.getMessage());
    }

    @Test
    void unknownInjectorIsRejected() {
        InjectSpecException e = assertThrows(InjectSpecException.class, () -> InjectSpec.parse("nosuch"));
        assertTrue(e.getMessage().contains("expected an injector among mmap-unlock, eagain"), e.getMessage());
    }

    @Test
    void taskIsACommOrAPidAndAtAnEventOrALine() throws Exception {
        InjectSpec byComm = InjectSpec.parse("eagain:task=qemu-kvm,at=vfio_dma_map");
        assertEquals("qemu-kvm", byComm.taskComm());
        assertEquals(-1, byComm.taskPid());
        assertEquals(pinreplay.format.EventType.VFIO_DMA_MAP, byComm.atEvent());
        InjectSpec byPid = InjectSpec.parse("eagain:task=8100,at=line:12");
        assertEquals(8100, byPid.taskPid());
        assertEquals(12, byPid.atLine());
    }

    @Test
    void badEventNameSaysWhatWasExpected() {
        InjectSpecException e = assertThrows(InjectSpecException.class,
                () -> InjectSpec.parse("truncate:at=vfio_map"));
        assertTrue(e.getMessage().contains("at expected an event name (e.g. vfio_dma_map) or line:N, got 'vfio_map'"),
                e.getMessage());
    }

    @Test
    void keysBelongToTheirInjector() throws Exception {
        assertEquals(MmapUnlock.Race.MPROTECT.ordinal(), InjectSpec.parse("mmap-unlock:race=mprotect").option(MmapUnlock.RACE));
        assertEquals(0x1000, InjectSpec.parse("punch-hole:ino=5,offset=0x1000").option(PunchHole.OFFSET));
        InjectSpecException e = assertThrows(InjectSpecException.class, () -> InjectSpec.parse("eagain:race=munmap"));
        assertTrue(e.getMessage().startsWith("--inject eagain: expected a key among task, at, point, fail-nth"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got 'race'"), e.getMessage());
    }

    @Test
    void toStringWritesTheSpecBackWithOnlyWhatWasSet() throws Exception {
        String text = "truncate:at=dio_complete,fail-nth=2,ino=20,size=4096";
        assertEquals(text, InjectSpec.parse(text).toString());
        assertEquals("eagain", InjectSpec.parse("eagain").toString());
    }

    @Test
    void aKernelFunctionNameIsTheInjectorThatFailsItRestrictedToThatPoint() throws Exception {
        InjectSpec s = InjectSpec.parse("migrate_pages:probability=10,times=-1");
        assertEquals("enomem", s.name());
        assertEquals("migrate_pages", s.point());
        assertEquals(10, s.probability());
        assertEquals("enomem:point=migrate_pages,probability=10", s.toString());
        assertEquals("mmap-unlock", InjectSpec.parse("faultin_page").name());
        InjectSpecException e = assertThrows(InjectSpecException.class,
                () -> InjectSpec.parse("eagain:point=vfio_lock_acct"));
        assertTrue(e.getMessage().contains("point expected one of migrate_pages|faultin_page, got 'vfio_lock_acct'"),
                e.getMessage());
    }

    @Test
    void eachKernelFunctionStandsForOneInjectorThatFiresThere() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Kind k : Catalog.KINDS) {
            assertTrue(k.points().containsAll(k.aliases()), k.name());
            k.aliases().forEach(a -> assertTrue(seen.add(a), a));
        }
    }
}
