package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import pinreplay.replay.mm.Mm;

class InjectorsTest {
    @Test
    void mmapUnlockFailNthOneUnlocksOnlyTheFirstFixup() throws Exception {
        Injectors inj = new Injectors(List.of(InjectSpec.parse("mmap-unlock:fail-nth=1")), 1);
        Mm mm = new Mm(1);
        assertTrue(inj.fixupUserFaultUnlocked(mm, 0x1000));
        assertFalse(inj.fixupUserFaultUnlocked(mm, 0x1000));
    }

    @Test
    void enomemFailsLockedVmAccounting() throws Exception {
        Injectors inj = new Injectors(List.of(InjectSpec.parse("enomem")), 1);
        assertTrue(inj.accountLockedVmFails(new Mm(1), 4, "vfio_lock_acct"));
    }

    @Test
    void probabilityZeroNeverFires() throws Exception {
        Injectors inj = new Injectors(List.of(InjectSpec.parse("migrate:probability=0")), 1);
        assertFalse(inj.migratePinnedPage(new Mm(1), 0));
        assertNull(inj.firing());
    }
}
