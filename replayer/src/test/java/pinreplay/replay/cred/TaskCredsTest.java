package pinreplay.replay.cred;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** cap_emulate_setxuid() and the other credential changes, as the lab's kernels showed them (CapEff after each). */
class TaskCredsTest {
    private static TaskCreds root() {
        TaskCreds t = new TaskCreds(Creds.RLIM_INFINITY);
        t.declare(1, 0, 0, 0, 1, 65536, true, -1);
        return t;
    }

    @Test
    void droppingToAUserWithRootSavedClearsOnlyTheEffectiveSet() {
        TaskCreds t = root();
        t.setresuid(1, 1000, 1000, 0);
        assertEquals(Creds.NO, TaskCreds.capable(t.of(1)));
        assertEquals(Creds.YES, t.of(1).permitted);
        t.setresuid(1, -1, 0, -1); // the effective set becomes the permitted one again
        assertEquals(Creds.YES, TaskCreds.capable(t.of(1)));
        assertEquals(1000, t.of(1).uid);
    }

    @Test
    void leavingRootInEveryUidClearsBothSets() {
        TaskCreds t = root();
        t.setresuid(1, 1000, 1000, 1000);
        assertEquals(Creds.NO, t.of(1).permitted);
        t.setreuid(1, -1, 0); // refused by the kernel in truth; were it recorded, nothing comes back
        assertEquals(Creds.NO, TaskCreds.capable(t.of(1)));
    }

    @Test
    void rootsSetuidSetsEveryUid() {
        TaskCreds t = root();
        t.setuid(1, 1000);
        Creds c = t.of(1);
        assertEquals(1000, c.uid);
        assertEquals(1000, c.suid);
        assertEquals(Creds.NO, c.permitted);
    }

    @Test
    void forkCopiesExecKeepsTheLimitAndCapsetForgets() {
        TaskCreds t = root();
        t.fork(1, 2);
        t.prlimit(2, 4096, true);
        assertEquals(65536, t.of(1).rlimit);
        t.exec(2);
        assertEquals(4096, t.of(2).rlimit);
        assertEquals(Creds.YES, TaskCreds.capable(t.of(2)));
        t.capset(2);
        assertEquals(Creds.UNKNOWN, TaskCreds.capable(t.of(2)));
        t.prlimit(2, 0, false);
        assertFalse(t.of(2).rlimitKnown);
    }

    @Test
    void aUserStructIsSharedByTheTasksOfItsRealUid() {
        TaskCreds t = root();
        t.fork(1, 2);
        t.setresuid(1, 1000, 1000, 1000);
        t.setresuid(2, 1000, 1000, 1000);
        assertTrue(t.userOf(t.of(1)) == t.userOf(t.of(2)));
        assertFalse(t.userOf(t.of(1)).known);
    }
}
