package pinreplay.replay.mm;

import pinreplay.replay.range.Counters;

/**
 * mm/hugetlb.c {@code struct resv_map}: the huge page indexes a shared mapping's inode has reserved or instantiated
 * (inode_resv_map()), or those whose reservation a private mapping has consumed (the owner VMA's vm_private_data).
 */
public final class ResvMap {
    private final Counters regions = new Counters();

    /** region_count(): indexes of {@code [from, to)} in the map. */
    public long regionCount(long from, long to) {
        long n = 0;
        for (int i = regions.indexOf(from); i < regions.size() && regions.start(i) < to; i++) {
            if (regions.value(i) != 0) {
                n += Math.min(to, regions.end(i)) - Math.max(from, regions.start(i));
            }
        }
        return n;
    }

    /** region_chg(): indexes of {@code [from, to)} not in the map. */
    public long regionChg(long from, long to) {
        return (to - from) - regionCount(from, to);
    }

    /** region_add(): the indexes added. */
    public long regionAdd(long from, long to) {
        long added = regionChg(from, to);
        regions.set(from, to, 1, 0);
        return added;
    }

    /** region_del(): the indexes removed. */
    public long regionDel(long from, long to) {
        long n = regionCount(from, to);
        regions.clear(from, to);
        return n;
    }
}
