package pinreplay.replay.mm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** mm/hugetlb.c hugetlb_acct_memory() / gather_surplus_pages() and alloc_hugetlb_folio() over the counters. */
class HugePoolTest {
    @Test
    void anUncountedPoolRefusesNothing() {
        HugePool p = new HugePool();
        assertTrue(p.acctMemory(1 << 20));
        assertTrue(p.allocFolio(false));
    }

    @Test
    void reservationsBeyondTheFreePagesComeFromOvercommitAsSurplus() {
        HugePool p = new HugePool();
        p.recorded(2, 2, 0, 0, 2);
        assertTrue(p.acctMemory(4)); // two free, two surplus (nr_overcommit_hugepages=2)
        assertFalse(p.acctMemory(1)); // gather_surplus_pages(): past the overcommit limit, -ENOMEM
        assertTrue(p.allocFolio(true));
        assertFalse(p.allocFolio(false)); // every free page is reserved and no surplus is left
        p.acctMemory(-3); // return_unused_surplus_pages(): the unused reservations, and free surplus pages
        assertTrue(p.allocFolio(false));
    }
}
