package pinreplay.replay.kernel;

import java.util.List;

/**
 * The registry of release-dependent rules. Profiles resolve their variants from these entries, so a release
 * number is written once, here. An entry whose summary says results do not change records what a release
 * changed where no replayed event can tell (for {@code pinreplay profiles}); no profile field reads it.
 */
public final class Rules {
    private Rules() {
    }

    private static KernelRelease v(int major, int minor) {
        return KernelRelease.of(major, minor);
    }

    /** A stable update: the first X.Y.Z that carries a backport (Debian's changelog names the update of each commit). */
    private static KernelRelease v(int major, int minor, int patch) {
        return new KernelRelease(major, minor, patch);
    }

    private static final List<String> NO_VALUES = List.of();

    // ---- GUP / PUP API ----
    public static final Rule GET_USER_PAGES_LONGTERM = new Rule("get-user-pages-longterm",
            "get_user_pages_longterm()", v(4, 15), v(5, 2), true, null, NO_VALUES,
            "mm/gup.c, Dan Williams 'dax: ...' series (2017); removed by 932f4a630a69",
            "get_user_pages_longterm() pins, then returns -EOPNOTSUPP and releases every page if a VMA is fsdax");
    public static final Rule FOLL_LONGTERM_FLAG = new Rule("foll-longterm",
            "__gup_longterm_locked()", v(5, 2), null, true, null, NO_VALUES,
            "932f4a630a69 'mm/gup: replace get_user_pages_longterm() with FOLL_LONGTERM' (Ira Weiny)",
            "FOLL_LONGTERM replaces get_user_pages_longterm(); check_dax_vmas() after pinning");
    public static final Rule PIN_USER_PAGES = new Rule("pin-user-pages",
            "pin_user_pages*()", v(5, 6), null, false, null, NO_VALUES,
            "Documentation/core-api/pin_user_pages.rst (John Hubbard)",
            "the pin_user_pages*() API and FOLL_PIN exist; earlier releases have no such calls (-ENOSYS)");
    public static final Rule PIN_COUNTING_BIAS = new Rule("gup-pin-counting-bias",
            "try_grab_folio()", v(5, 7), null, true, null, NO_VALUES,
            "mm/gup.c try_grab_folio(); include/linux/mm.h GUP_PIN_COUNTING_BIAS",
            "a pin adds 1024 to a small folio's refcount, 1 plus _pincount 1 to a large one (5.6: plain +1)");
    public static final Rule GUP_FAST_FLAGS = new Rule("gup-fast-flags",
            "internal_get_user_pages_fast()", v(5, 2), null, true, null, NO_VALUES,
            "Ira Weiny 'mm/gup: change GUP fast to use flags rather than a write bool' (5.2); mm/gup.c "
                    + "gup_fast_fallback() WARN_ON_ONCE mask",
            "GUP-fast takes gup_flags instead of a write bool and fails any flag outside WRITE|LONGTERM (5.6: also "
                    + "FORCE|PIN|GET, later FAST_ONLY|NOFAULT|PCI_P2PDMA) with -EINVAL");
    public static final Rule FOLL_NOFAULT = new Rule("foll-nofault",
            "faultin_page()", v(5, 16), null, true, null, NO_VALUES,
            "Andreas Gruenbacher 'gup: Introduce FOLL_NOFAULT flag to disable page faults'",
            "with FOLL_NOFAULT a page that would need a fault is -EFAULT (a short count when some pages were done)");
    public static final Rule HUGETLB_GUP_FAULTS_NOFAULT = new Rule("hugetlb-gup-faults-nofault",
            "follow_hugetlb_page()", v(5, 16), v(6, 5), true, null, NO_VALUES,
            "mm/hugetlb.c follow_hugetlb_page() (6.1: no FOLL_NOFAULT test before hugetlb_fault()); Peter Xu "
                    + "'mm/gup: retire follow_hugetlb_page()' (6.5) moved hugetlb to faultin_page()",
            "__get_user_pages() gives a hugetlb VMA to follow_hugetlb_page(), which faults a missing page in whatever "
                    + "FOLL_NOFAULT says (from 6.5 faultin_page() refuses it with -EFAULT, as for other memory)");
    public static final Rule IS_VALID_GUP_FLAGS = new Rule("is-valid-gup-flags",
            "is_valid_gup_flags()", v(5, 10), v(6, 3), true, null, NO_VALUES,
            "Barry Song 'mm/gup: don't permit users to call get_user_pages with FOLL_LONGTERM' (2020-08-19)",
            "get_user_pages(), _remote and _fast refuse FOLL_LONGTERM (as FOLL_PIN since 5.6) with -EINVAL");
    public static final Rule IS_VALID_GUP_ARGS = new Rule("is-valid-gup-args",
            "is_valid_gup_args()", v(6, 3), null, true, null, NO_VALUES,
            "mm/gup.c is_valid_gup_args() (Jason Gunthorpe, 2023)",
            "invalid flags are rejected once at the boundary; pin_user_pages(), _remote and _unlocked return 0 "
                    + "instead of -EINVAL; GUP-fast fails a wrapping range with -EOVERFLOW (6.1: returns 0)");
    public static final Rule GUP_LONGTERM_UNLOCKABLE = new Rule("gup-longterm-unlockable",
            "gup_fast_fallback()", v(6, 3), null, false, null, NO_VALUES,
            "Jason Gunthorpe 'mm/gup: remove the restriction on locked with FOLL_LONGTERM' (2023); before, "
                    + "__gup_longterm_unlocked() took mmap_lock and passed locked == NULL, its comment saying FOLL_LONGTERM "
                    + "did not work with get_user_pages_unlocked()",
            "the slow path of a FOLL_LONGTERM GUP-fast may drop mmap_lock in a fault and retry (FOLL_UNLOCKABLE); "
                    + "before, it held the lock throughout and a fault could not return VM_FAULT_RETRY");
    public static final Rule FOLL_MODERN_LAYOUT = new Rule("foll-flag-values",
            "include/linux/mm_types.h FOLL_*", v(6, 3), null, false, null, NO_VALUES,
            "2c2241081f7d 'mm/gup: move private gup FOLL_ flags to internal.h' (in linux-next mm tree Feb 2023, "
                    + "merged for 6.3)",
            "numeric gup_flags use the renumbered values (LONGTERM 0x100, PIN 0x80000); before: LONGTERM 0x10000, "
                    + "PIN 0x40000");
    public static final Rule ZERO_PAGE_PIN_NOOP = new Rule("zero-page-pin-noop",
            "try_grab_folio()", v(6, 5), null, true, null, NO_VALUES,
            "c8070b787519 'mm: Don't pin ZERO_PAGE in pin_user_pages()' (David Howells)",
            "pinning the shared zero page takes no reference, and unpinning it is a no-op");
    public static final Rule ZERO_PAGE_PIN_NOOP_61_STABLE = new Rule("zero-page-pin-noop-6.1.y",
            "try_grab_folio()", v(6, 1, 130), v(6, 2), false, null, NO_VALUES,
            "the 6.1.y backport of c8070b787519, in 6.1.130 (Debian's changelog of 6.1.133-1)",
            "the 6.1 LTS from 6.1.130 takes no reference for a pin of the zero page, as 6.5 does");
    public static final Rule PIN_FAST_BAD_ARGS_ZERO = new Rule("pin-user-pages-fast-bad-args-zero",
            "pin_user_pages_fast()", v(6, 3), v(6, 4, 10), false, null, NO_VALUES,
            "'if (!is_valid_gup_args(pages, NULL, &gup_flags, FOLL_PIN)) return 0;' from the 6.3 consolidation until "
                    + "'mm/gup: do not return 0 from pin_user_pages_fast() for bad args' (Jason Gunthorpe; 6.5, and 6.4.10)",
            "pin_user_pages_fast() answers flags is_valid_gup_args() refuses with 0 instead of -EINVAL");
    public static final Rule GUP_FAST_ACCESS_OK = new Rule("gup-fast-access-ok",
            "gup_fast_fallback() access_ok()", KernelRelease.OLDEST, v(6, 15), true, null, NO_VALUES,
            "'mm: remove the access_ok() call from gup_fast_fallback()' (mm tree, March 2025); 6.1 and 6.6 "
                    + "mm/gup.c",
            "GUP-fast also checks access_ok(start, len); on x86-64 that is the bound end <= TASK_SIZE_MAX, which "
                    + "6.3+ also tests explicitly, so the removal in 6.15 changes no result (-EFAULT, nothing pinned)");
    public static final Rule GUP_FAST_DEVMAP = new Rule("gup-fast-devmap",
            "gup_fast_pte_range() pte_devmap()", KernelRelease.OLDEST, v(6, 17), true, null, NO_VALUES,
            "mm/gup.c gup_fast_devmap_leaf(); removed by Alistair Popple's 'mm: Remove pXX_devmap page table bit "
                    + "and pfn_t type' (in the 6.17.0 tree, not in 6.12.0)",
            "GUP-fast leaves every devmap PTE (fsdax and device-dax) to the slow path when FOLL_LONGTERM is set");
    public static final Rule LONGTERM_PINNABLE_FSDAX = new Rule("longterm-pinnable-fsdax",
            "folio_is_longterm_pinnable()", v(6, 17), null, true, null, NO_VALUES,
            "include/linux/mm.h folio_is_longterm_pinnable() 'DAX must also always allow eviction' (6.17.0 tree)",
            "an fsdax folio is not long-term pinnable, so GUP-fast falls back for it (check_vma_flags() then refuses "
                    + "the VMA); device-dax folios are and pin on the fast path");
    public static final Rule MEMFD_PIN_FOLIOS = new Rule("memfd-pin-folios",
            "memfd_pin_folios()", v(6, 11), null, true, null, NO_VALUES,
            "mm/gup.c memfd_pin_folios() (Vivek Kasireddy, for udmabuf; absent in the 6.1 tree, present in 6.12.0 "
                    + "to 7.1.5)",
            "pins the folios of a shmem or hugetlbfs memfd range with try_grab_folio(FOLL_PIN), allocating the "
                    + "missing ones under memalloc_pin_save(), released by unpin_folio(s)(); udmabuf_create() pins with "
                    + "it from the same series (before, udmabuf held page references, not modelled: its calls are taken "
                    + "as recorded); iommufd's IOMMU_IOAS_MAP_FILE calls it too, not modelled");
    public static final Rule UDMABUF_MMAP_PFNMAP = new Rule("udmabuf-mmap-pfnmap",
            "mmap_udmabuf()", v(6, 11), null, true, null, NO_VALUES,
            "drivers/dma-buf/udmabuf.c 'udmabuf: use vmf_insert_pfn and VM_PFNMAP for handling mmap' (Vivek Kasireddy, "
                    + "the memfd_pin_folios() series): vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP) in "
                    + "the 6.12.117 and 7.2.13 trees; the 6.1.176 tree's udmabuf_vm_fault() hands out the memfd's pages",
            "a dma-buf's mapping is VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP: GUP refuses it (-EFAULT), madvise() of it "
                    + "to drop pages is -EINVAL, mremap() cannot grow it (-EFAULT), vfio cannot map it (-EFAULT)");
    public static final Rule MEMFD_SEAL_EXEC = new Rule("memfd-seal-exec",
            "memfd_add_seals()", v(6, 3), null, true, null, NO_VALUES,
            "mm/memfd.c 'mm/memfd: add F_SEAL_EXEC' (Jeff Xu, the MFD_NOEXEC_SEAL series); F_ALL_SEALS without it in the "
                    + "6.1.176 tree, with it in 6.12.117 and 7.2.13",
            "F_SEAL_EXEC is a seal (before, F_ADD_SEALS of it is -EINVAL); added to a file still executable it implies "
                    + "F_SEAL_SHRINK, F_SEAL_GROW, F_SEAL_WRITE and F_SEAL_FUTURE_WRITE");
    public static final Rule UDMABUF_SEAL_FUTURE_WRITE = new Rule("udmabuf-seal-future-write",
            "check_memfd_seals()", v(6, 13), null, true, null, NO_VALUES,
            "drivers/dma-buf/udmabuf.c 'udmabuf: also check for F_SEAL_FUTURE_WRITE' (Jann Horn, December 2024); "
                    + "SEALS_DENIED in the 6.12.117 and 7.2.13 trees, and in 6.1.176's (a backport to udmabuf before "
                    + "memfd_pin_folios(), which the model does not follow)",
            "udmabuf_create() refuses a memfd sealed F_SEAL_FUTURE_WRITE as it does one sealed F_SEAL_WRITE (-EINVAL)");
    public static final Rule UDMABUF_SEAL_FUTURE_WRITE_612_STABLE = new Rule("udmabuf-seal-future-write-6.12.y",
            "check_memfd_seals()", v(6, 12, 7), v(6, 13), false, null, NO_VALUES,
            "the 6.12.y backport of 'udmabuf: also check for F_SEAL_FUTURE_WRITE', in 6.12.7 (Debian's changelog of "
                    + "6.12.8-1)",
            "the 6.12 LTS from 6.12.7 refuses a memfd sealed F_SEAL_FUTURE_WRITE, as 6.13 does");

    // ---- FOLL_LONGTERM checks (mm/gup.c check_vma_flags(), __gup_longterm_locked()) ----
    public static final Rule LONGTERM_FSDAX_BEFORE_PIN = new Rule("longterm-fsdax-in-check-vma-flags",
            "check_vma_flags()", v(5, 11), null, false, "longterm-fsdax", List.of("allow", "reject"),
            "52650c8b466b (Jason Gunthorpe); mm/gup.c check_vma_flags()",
            "FOLL_LONGTERM on an fsdax VMA fails with -EOPNOTSUPP before anything is pinned "
                    + "(4.15-5.10: after pinning, releasing every page)");
    public static final Rule SPLIT_PMD_HUGETLB = new Rule("check-vma-flags-split-pmd-hugetlb",
            "check_vma_flags()", v(6, 15), null, true, null, NO_VALUES,
            "'mm/gup: reject FOLL_SPLIT_PMD with hugetlb VMAs' (mm tree, March 2025); not in the 6.6 or 6.12.0 "
                    + "check_vma_flags()",
            "FOLL_SPLIT_PMD on a hugetlb VMA fails with -EOPNOTSUPP after the fsdax test; before, hugetlb GUP "
                    + "ignored the flag and pinned");
    public static final Rule SPLIT_PMD_HUGETLB_612_STABLE = new Rule("check-vma-flags-split-pmd-hugetlb-6.12.y",
            "check_vma_flags()", v(6, 12, 23), v(6, 13), false, null, NO_VALUES,
            "the 6.12.y backport of 'mm/gup: reject FOLL_SPLIT_PMD with hugetlb VMAs', in 6.12.23 (Debian's changelog of "
                    + "6.12.25-1)",
            "the 6.12 LTS from 6.12.23 refuses FOLL_SPLIT_PMD on a hugetlb VMA with -EOPNOTSUPP, as 6.15 does");
    public static final Rule HUGETLB_FORCE_WRITE = new Rule("check-vma-flags-hugetlb-force-write",
            "check_vma_flags()", v(6, 0), v(6, 15), true, null, NO_VALUES,
            "5535be309971 'mm/gup: fix FOLL_FORCE COW security issue and remove FOLL_COW'; in the 6.1.119, 6.6.87 "
                    + "and 6.12.0 trees, not in 5.15.135 or 6.17.0 (can_follow_write_common() replaced it)",
            "FOLL_FORCE|FOLL_WRITE on a hugetlb VMA without VM_WRITE fails with -EFAULT (\"hugetlb does not support "
                    + "FOLL_FORCE|FOLL_WRITE\"), even in a private (COW) mapping");
    public static final Rule HUGETLB_WP_WRITABLE = new Rule("hugetlb-wp-writable",
            "hugetlb_cow() / hugetlb_wp()", KernelRelease.OLDEST, v(6, 18), true, null, NO_VALUES,
            "mm/hugetlb.c: \"make_huge_pte(vma, new_page, 1)\" and set_huge_ptep_writable() (5.10 :4251, :4146; 6.1 "
                    + ":5038; 6.12 :5243), make_huge_pte() making any PTE it is asked to writable; 7.2's make_huge_pte() "
                    + "(:4839) tests VM_WRITE; the end is taken from hugetlb-fork-copy-writable's, observed on 6.18",
            "a written (COW) hugetlb page is mapped writable even in a VMA without VM_WRITE, so after a FOLL_FORCE write "
                    + "(/proc/PID/mem, ptrace) into a read-only private hugetlb mapping, GUP-fast FOLL_WRITE and the CPU's "
                    + "stores go through");
    public static final Rule HUGETLB_FORCE_WRITE_519_STABLE = new Rule("check-vma-flags-hugetlb-force-write-5.19.y",
            "check_vma_flags()", v(5, 19, 6), v(6, 0), false, null, NO_VALUES,
            "the 5.19.y backport of 5535be309971, in 5.19.6 (Debian's changelog of 5.19.6-1); not in 5.10.y or 6.1.y "
                    + "changelogs before 6.1, which has it from 6.0",
            "the 5.19 series from 5.19.6 refuses FOLL_FORCE writes to a private read-only hugetlb mapping, as 6.0 does");
    public static final Rule RELIABLE_RO_LONGTERM = new Rule("reliable-ro-longterm",
            "gup_must_unshare()", v(6, 2), null, true, null, NO_VALUES,
            "David Hildenbrand 'mm/gup: reliable R/O long-term pinning in COW mappings' (2022-11)",
            "a R/O long-term pin in a MAP_PRIVATE mapping first replaces a page-cache or zero page by an "
                    + "exclusive anonymous copy (FAULT_FLAG_UNSHARE)");
    public static final Rule FORK_EARLY_COW = new Rule("fork-copies-pinned-anon",
            "copy_present_page()", v(5, 9), null, true, null, NO_VALUES,
            "70e806e4e645 'mm: Do early cow for pinned pages during fork() for ptes' (Peter Xu); mm/memory.c "
                    + "page_needs_cow_for_dma() in the 5.15.135 tree, page_try_dup_anon_rmap() in 6.1.119",
            "fork() gives the child its own copy of an anonymous page that may be DMA-pinned (MMF_HAS_PINNED) "
                    + "instead of sharing it write-protected, so the parent goes on writing the pinned page; before, "
                    + "the parent's next write copied it away from the pin");
    public static final Rule FORK_EARLY_COW_HUGETLB = new Rule("fork-copies-pinned-hugetlb",
            "copy_hugetlb_page_range()", v(5, 12), null, true, null, NO_VALUES,
            "4eae4efa2c29 'hugetlb: do early cow when page pinned on src mm' (Peter Xu, 2021-02); mm/hugetlb.c "
                    + "copy_hugetlb_page_range(): page_needs_cow_for_dma(), hugetlb_try_dup_anon_rmap() from 5.19",
            "fork() gives the child its own copy of a private hugetlb page that may be DMA-pinned; before, parent "
                    + "and child shared it write-protected and the parent's next write copied it away from the pin "
                    + "(hugetlb_cow() reuses only a page mapped once)");
    public static final Rule HUGETLB_NO_PAGE_CACHE_FIRST = new Rule("hugetlb-no-page-cache-first",
            "hugetlb_no_page()", v(6, 1), null, true, null, NO_VALUES,
            "mm/hugetlb.c hugetlb_no_page(): the 6.1.176 tree looks the folio up (find_lock_page()) and tests i_size only "
                    + "when it is not cached, as 6.12's and 7.2's filemap_lock_hugetlb_folio() do; the 5.10.262 tree "
                    + "tests i_size first (Mike Kravetz's hugetlb vma_lock series, 6.1; observed on 6.18, "
                    + "fuzz-long-494-markers)",
            "a hugetlb fault beyond i_size finds a folio fallocate(FALLOC_FL_KEEP_SIZE) put in the page cache and "
                    + "maps it; before, any fault beyond i_size is VM_FAULT_SIGBUS");
    public static final Rule HUGETLB_FORK_COPY_WRITABLE = new Rule("hugetlb-fork-copy-writable",
            "hugetlb_install_page()", v(5, 12), v(6, 18), true, null, NO_VALUES,
            "mm/hugetlb.c copy_hugetlb_page_range(): the early COW of a maybe-pinned private hugetlb page maps the child's "
                    + "copy with make_huge_pte(dst_vma, new, 1), writable whatever VM_WRITE (6.1.176 :5038, 6.12.117 "
                    + "hugetlb_install_folio() :5243); the 7.2.13 tree's make_huge_pte() makes it writable only with "
                    + "VM_WRITE (:4845), and so does the 6.18.44 host (fuzz-deepest-857-markers: the child's O_DIRECT "
                    + "read into its copy in a read-only VMA is -EFAULT); the release between 6.12 and 6.18 that changed "
                    + "it is not pinned down, taken as 6.18 (observed on 6.1.176, fuzz-long-406)",
            "fork() maps the child's copy of a pinned private hugetlb page writable in a read-only VMA, so GUP-fast "
                    + "takes it for a FOLL_WRITE pin (an O_DIRECT read into it) that the slow path would refuse");
    public static final Rule HUGETLB_PUNCH_SEALS_FIRST = new Rule("hugetlb-punch-seals-first",
            "hugetlbfs_punch_hole()", v(6, 0), null, true, null, NO_VALUES,
            "fs/hugetlbfs/inode.c hugetlbfs_punch_hole(): the 6.1.176, 6.12.117 and 7.2.13 trees test F_SEAL_WRITE and "
                    + "F_SEAL_FUTURE_WRITE before \"if (hole_end > hole_start)\", the 5.10.223 tree inside it (Mike Kravetz "
                    + "'hugetlbfs: zero partial pages during fallocate hole punch', taken as 6.0, unverified; observed on "
                    + "5.10.223, fuzz-long-404)",
            "a punch of a write-sealed hugetlbfs file is -EPERM even when it holds no whole huge page (its partial pages "
                    + "are zeroed); before, such a punch does nothing and returns 0");
    public static final Rule WP_REUSE_REFCOUNT = new Rule("do-wp-page-refcount",
            "do_wp_page()", v(5, 9), null, true, null, NO_VALUES,
            "09854ba94c6a 'mm: do_wp_page() simplification' (Linus Torvalds); mm/memory.c of the 5.15.135 tree",
            "a write fault on a write-protected anonymous page reuses it only when page_count() is 1: a pin, a GUP "
                    + "reference or another mm makes it copy (so mprotect(PROT_READ) then PROT_WRITE loses a pinned "
                    + "page at the next write); before, reuse_swap_page() looked at the mapcount alone");
    public static final Rule ANON_EXCLUSIVE = new Rule("page-anon-exclusive",
            "do_wp_page() gup_must_unshare()", v(5, 19), null, true, null, NO_VALUES,
            "6c287605fd56 'mm: remember exclusively mapped anonymous pages with PG_anon_exclusive', a7f226604170 "
                    + "'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page' (David "
                    + "Hildenbrand); mm/memory.c and include/linux/mm.h of the 6.1.119 tree",
            "a write fault reuses an exclusive anonymous page whatever its refcount, and a R/O FOLL_PIN of a "
                    + "shared one first unshares it (FAULT_FLAG_UNSHARE): a pin and the page table stay consistent");
    public static final Rule TRANSPARENT_HUGEPAGE = new Rule("transparent-hugepage",
            "do_huge_pmd_anonymous_page()", v(4, 14), null, false, "thp", List.of("always", "madvise", "never"),
            "mm/huge_memory.c; Debian's kernels build CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS (config-5.10.0-32, -6.1.0-50, "
                    + "-6.12.117); the lab read AnonHugePages: 2048 kB of a 2 MiB-aligned buffer on each",
            "the first write fault into a 2 MiB-aligned range of a private anonymous mapping with nothing mapped there "
                    + "maps a transparent huge page with one PMD ('always', or 'madvise' for MADV_HUGEPAGE ranges)");
    public static final Rule THP_WP_MAPCOUNT = new Rule("do-huge-pmd-wp-page-mapcount",
            "do_huge_pmd_wp_page()", v(4, 14), v(5, 18), true, null, NO_VALUES,
            "mm/huge_memory.c reuse_swap_page() (page_trans_huge_mapcount()); Linus Torvalds on linux-mm, 2021-12-17: "
                    + "'that never got converted'; replaced by David Hildenbrand's 'mm/huge_memory: streamline COW "
                    + "logic in do_huge_pmd_wp_page()' (page_count(), 5.18), then PageAnonExclusive (5.19)",
            "a write fault on a write-protected PMD-mapped THP reuses it whenever one mm maps it, pins or not, so "
                    + "mprotect(PROT_READ) then PROT_WRITE keeps a pinned THP where it loses a small page (5.9-5.18)");
    public static final Rule WRITABLE_FILE_MAPPING = new Rule("writable-file-mapping-allowed",
            "writable_file_mapping_allowed()", v(6, 5), null, false, "longterm-file-write", List.of("allow", "reject"),
            "8ac268436e6d (Lorenzo Stoakes); mm/mmap.c vma_needs_dirty_tracking(); seed 004",
            "FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE on a shared file mapping that needs dirty tracking fails with -EFAULT");
    public static final Rule GUP_FAST_FOLIO_ALLOWED = new Rule("gup-fast-folio-allowed",
            "gup_fast_folio_allowed()", v(6, 5), null, false, null, NO_VALUES,
            "a6e79df92e4a (Lorenzo Stoakes); named folio_fast_pin_allowed() until ~6.10",
            "GUP-fast refuses file-backed folios other than shmem and hugetlb for a writable long-term pin and "
                    + "falls back to the slow path");
    public static final Rule SECRETMEM = new Rule("secretmem",
            "check_vma_flags() vma_is_secretmem()", v(5, 14), null, true, null, NO_VALUES,
            "mm/secretmem.c memfd_secret() (Mike Rapoport)",
            "secretmem VMAs exist and every GUP on them fails with -EFAULT");
    public static final Rule SECRETMEM_VM_LOCKED = new Rule("secretmem-vm-locked",
            "secretmem_mmap()", v(5, 14), v(6, 12), false, null, NO_VALUES,
            "mm/secretmem.c secretmem_mmap(): \"vma->vm_flags |= VM_LOCKED | VM_DONTDUMP\" (6.1 :131); Debian's 6.12.117 "
                    + "and 7.2.13 set VM_DONTDUMP alone",
            "a memfd_secret() mapping is VM_LOCKED (charged to mm->locked_vm, not populated): munlock() and "
                    + "munlockall() leave it locked (mlock_fixup() skips secretmem), and MADV_DONTNEED, FREE, COLD, "
                    + "PAGEOUT, REMOVE and GUARD_INSTALL refuse it with -EINVAL");
    public static final Rule SECRETMEM_VM_LOCKED_618 = new Rule("secretmem-vm-locked-6.18",
            "secretmem_mmap_prepare()", v(6, 18), v(6, 19), true, null, NO_VALUES,
            "observed on the host's 6.18.44: smaps VmFlags 'rd wr sh mr mw ms lo dd' of a fresh memfd_secret() "
                    + "mapping, every madvise() of those advices -EINVAL (fuzz-deeper-601, -605, -606); the change that "
                    + "drops VM_LOCKED (absent from 6.12.117 and 7.2.13) is not pinned down",
            "as secretmem-vm-locked");
    public static final Rule SECRETMEM_FAULT_ACCOUNT = new Rule("secretmem-fault-account",
            "secretmem_fault()", v(6, 12), null, false, null, NO_VALUES,
            "Debian's 6.12.117 and 7.2.13 mm/secretmem.c: secretmem_fault() (:137, :136) calls secretmem_account_folio(), "
                    + "__secretmem_account_pages() (:57) compares user->locked_vm with rlimit(RLIMIT_MEMLOCK) without "
                    + "capable(CAP_IPC_LOCK); secretmem_release() (:190, :188) unaccounts; the 6.1.176 tree has none of it (the change between the two is not pinned down)",
            "each page a memfd_secret() mapping faults in is charged to its creator's user->locked_vm (as io_uring's "
                    + "buffers are); beyond RLIMIT_MEMLOCK the fault is SIGBUS, even for root, and a kernel copy from or "
                    + "to it fails with -EFAULT; the charge goes back when the file's last fd and mapping go");
    public static final Rule LONGTERM_MIGRATE_CMA = new Rule("longterm-migrate-cma",
            "check_and_migrate_cma_pages()", v(5, 1), v(5, 13), true, null, NO_VALUES,
            "mm/gup.c check_and_migrate_cma_pages()",
            "long-term pins migrate CMA pages first; a failed migration pins them where they are");
    public static final Rule LONGTERM_MIGRATE_CMA_ENOMEM_510_STABLE = new Rule("longterm-migrate-cma-enomem-5.10.y",
            "check_and_migrate_cma_pages()", v(5, 10, 38), v(5, 11), false, null, NO_VALUES,
            "'mm/gup: return an error on migration failure' and 'mm/gup: check for isolation errors' (Pavel Tatashin, "
                    + "mainline with the 5.13 movable-zone series) in 5.10.38; mm/gup.c of the Debian 5.10.223 tree",
            "the 5.10 LTS from 5.10.38 still migrates only CMA pages, but a failed migration is -ENOMEM, not a pin in place");
    public static final Rule LONGTERM_MIGRATE_MOVABLE = new Rule("longterm-migrate-movable",
            "check_and_migrate_movable_pages()", v(5, 13), null, true, null, NO_VALUES,
            "Pavel Tatashin 'mm/gup: migrate pinned pages out of movable zone'; mm/gup.c __gup_longterm_locked()",
            "long-term pins migrate ZONE_MOVABLE and CMA pages and pin again (-EAGAIN loop); a failed migration "
                    + "returns -ENOMEM");

    // ---- DAX (fs/dax.c dax_layout_busy_page_range(); xfs_break_dax_layouts(), ext4_break_layouts()) ----
    public static final Rule XFS_BREAK_LAYOUTS = new Rule("xfs-break-dax-layouts",
            "xfs_break_dax_layouts()", v(4, 18), null, true, "dax-truncate",
            List.of("none", "fail", "wait", "remap", "nodax"),
            "fs/xfs/xfs_file.c; fs/dax.c dax_layout_busy_page() (Dan Williams v9, 2018-04-24)",
            "xfs truncate and punch-hole sleep until every DAX page of the file is idle");
    public static final Rule EXT4_BREAK_LAYOUTS = new Rule("ext4-break-layouts",
            "ext4_break_layouts()", v(4, 19), null, true, "dax-truncate",
            List.of("none", "fail", "wait", "remap", "nodax"),
            "fs/ext4/inode.c ext4_break_layouts() (Ross Zwisler)",
            "ext4 truncate and punch-hole sleep until every DAX page of the file is idle");
    public static final Rule EXT4_FALLOCATE_BREAKS_FIRST = new Rule("ext4-fallocate-break-layouts-first",
            "ext4_fallocate()", v(6, 15), null, true, null, NO_VALUES,
            "'ext4: move out common parts into ext4_fallocate()' (Zhang Yi): ext4_break_layouts() before "
                    + "ext4_punch_hole(), ext4_collapse_range(), ext4_insert_range() and ext4_zero_range() in the 6.12.117 "
                    + "and 7.2.13 trees; in the 5.10.262 and 6.1.176 trees each breaks after its own checks "
                    + "(ext4_punch_hole() after its 'offset >= inode->i_size' return, ext4_zero_range() only over whole "
                    + "blocks)",
            "every ext4 fallocate() mode but allocation waits for the file's busy DAX pages before its checks: a "
                    + "punch-hole at or past i_size, a zero-range inside one block, a collapse or insert it then refuses "
                    + "(-EINVAL) wait too; before, they returned at once");
    public static final Rule EXT4_FALLOCATE_BREAKS_FIRST_612_STABLE = new Rule("ext4-fallocate-break-layouts-first-6.12.y",
            "ext4_fallocate()", v(6, 12, 41), v(6, 13), false, null, NO_VALUES,
            "the 6.12.y backport, in the 6.12.41 section of Debian's 6.12.117 changelog ('ext4: move out common parts "
                    + "into ext4_fallocate()'); fs/ext4/extents.c of the 6.12.117 tree",
            "the 6.12 LTS from 6.12.41 breaks the layouts in ext4_fallocate() before every mode but allocation, as "
                    + "6.15 does");
    public static final Rule MREMAP_LOOKUP_FIRST = new Rule("mremap-lookup-first", "mremap()", v(5, 16), null, false,
            null, NO_VALUES,
            "mm/mremap.c: 5.10.262's mremap() calls mremap_to() before any VMA lookup, vma_to_resize() looking the "
                    + "old range up after mremap_to()'s do_munmap() calls; 6.1.176's and 6.12.117's vma_lookup() and "
                    + "hugetlb checks come first (550a7d60bd5e, 5.16)",
            "a failed MREMAP_FIXED mremap() has unmapped its destination and a shrink's tail unless its old address "
                    + "has no VMA or a hugetlb VMA refuses the move; before, whatever made vma_to_resize() fail");
    public static final Rule MREMAP_CHECKS_FIRST = new Rule("mremap-checks-first", "mremap()", v(6, 17), null, true,
            null, NO_VALUES,
            "mm/mremap.c: 7.2.13's do_mremap() runs check_prep_vma() (the old vma_to_resize() checks) before "
                    + "mremap_to() unmaps; 6.12.117's mremap_to() unmaps, then calls vma_to_resize() (Lorenzo Stoakes' "
                    + "mremap refactoring)",
            "a failed MREMAP_FIXED mremap() unmaps nothing: every check the old range can fail runs before "
                    + "mremap_to()'s do_munmap() calls");
    public static final Rule FALLOCATE_MODE_SWITCH = new Rule("vfs-fallocate-exclusive-modes",
            "vfs_fallocate()", v(6, 12), null, true, null, NO_VALUES,
            "fs/open.c vfs_fallocate() 'switch (mode & FALLOC_FL_MODE_MASK)' in the 6.12.117 and 7.2.13 trees, "
                    + "FALLOC_FL_SUPPORTED_MASK and a test per flag in the 5.10.262 and 6.1.176 trees ('fs: sort out the "
                    + "fallocate mode vs flag mess', Christoph Hellwig)",
            "a fallocate() mode is one of allocate, punch-hole (with FALLOC_FL_KEEP_SIZE), collapse, zero, insert or "
                    + "unshare: any other combination is -EOPNOTSUPP, collapse or insert with KEEP_SIZE too; before, "
                    + "collapse or insert with another flag, unshare with one but KEEP_SIZE, were -EINVAL");
    public static final Rule FALLOC_WRITE_ZEROES = new Rule("falloc-write-zeroes",
            "vfs_fallocate()", v(6, 17), null, true, null, NO_VALUES,
            "include/uapi/linux/falloc.h FALLOC_FL_WRITE_ZEROES (0x80) in the 7.2.13 tree, not in 6.12.117 ('fs: "
                    + "introduce FALLOC_FL_WRITE_ZEROES to fallocate', Zhang Yi); fs/ext4/extents.c ext4_fallocate()",
            "FALLOC_FL_WRITE_ZEROES is a mode (without KEEP_SIZE): ext4 zeroes the range as zero-range does, where the "
                    + "device unmaps on write zeroes (bdev_write_zeroes_unmap_sectors(): the model takes the recorded "
                    + "result); xfs, btrfs, tmpfs and hugetlbfs refuse it (-EOPNOTSUPP); before, vfs_fallocate() refused it");
    public static final Rule DAX_IDLE_AT_ZERO = new Rule("dax-idle-refcount-zero",
            "dax_page_is_idle()", v(6, 15), null, true, null, NO_VALUES,
            "Alistair Popple's ZONE_DEVICE refcount series, 7851bf649d42 (v6.15 per his later devmap-removal cover "
                    + "letter); fs/dax.c dax_page_is_idle()",
            "fsdax folios are refcounted like other folios and idle at refcount 0 instead of 1; the last put frees "
                    + "the folio and wakes the waiter from every release path");
    public static final Rule DAX_BREAK_LAYOUT = new Rule("dax-break-layout",
            "dax_break_layout()", v(6, 15), null, true, null, NO_VALUES,
            "fs/dax.c dax_break_layout(), dax_break_layout_inode(), dax_break_layout_final() (same series)",
            "ext4_break_layouts() and xfs_break_dax_layouts() become dax_break_layout_inode(): the same wait for "
                    + "every DAX page of the file (uninterruptible in wait_page_idle()), then "
                    + "dax_delete_mapping_range(); dax_break_layout_final() waits again at inode eviction "
                    + "(ext4_evict_inode(), xfs_fs_evict_inode()), which no replayed event does");
    public static final Rule DAX_BUSY_UNMAPPED = new Rule("dax-layout-busy-mapping-mapped",
            "dax_layout_busy_page_range()", v(4, 18), v(6, 15), true, "dax-busy-unmapped", List.of("skip", "check"),
            "fs/dax.c 'if (!dax_mapping(mapping) || !mapping_mapped(mapping)) return NULL;' (4.18 to 6.14); "
                    + "removed by the 6.15 refcount series ('pages may still be undergoing DMA after they are "
                    + "unmapped'); seen on Debian 6.1 (traces/real/6.1/dax-punch-munmap-dio.txt)",
            "a file with no user mapping has no busy page: a truncate or punch-hole after munmap() does not wait "
                    + "for pins taken earlier (O_DIRECT, raw GUP) and frees their blocks under DMA (skip); 6.15+ "
                    + "checks the pages whatever is mapped (check)");
    public static final Rule BIO_RELEASE_DAX_WAKEUP = new Rule("bio-release-misses-dax-wakeup",
            "__bio_release_pages()", v(6, 1, 75), v(6, 2), false, "dax-truncate-wakeup", List.of("missed", "ideal"),
            "6.1.y block/bio.c since 6.1.75 (backport of 1b151e2435fc 'block: Remove special-casing of compound "
                    + "pages'; folio_put_refs() since 6.1.84); mm/memremap.c __put_devmap_managed_page_refs(); "
                    + "a truncate overlapping O_DIRECT slept until a signal in 7 of 7 boots of Debian 6.1.176 under qemu",
            "O_DIRECT completion drops its FOLL_GET references with folio_put()/folio_put_refs(), not put_page(), "
                    + "so put_devmap_managed_page_refs() never runs wake_up_var() when an fsdax page returns to "
                    + "refcount 1: a truncate or punch-hole waiting for it sleeps until a signal (missed); the "
                    + "6.1.0-6.1.74 and every other release are ideal");

    // ---- vfio type1 (drivers/vfio/vfio_iommu_type1.c vaddr_get_pfn(s)(), follow_fault_pfn()) ----
    public static final Rule VFIO_FSDAX = new Rule("vfio-fsdax-longterm",
            "vaddr_get_pfn()", v(4, 16), null, true, "longterm-fsdax", List.of("allow", "reject"),
            "94db151dc892 'vfio: disable filesystem-dax page pinning'; seed 000",
            "vfio pins guest memory with get_user_pages_longterm() (later FOLL_LONGTERM), refusing fsdax with "
                    + "-EOPNOTSUPP; before, get_user_pages_fast() pinned it");
    public static final Rule VFIO_FOLLOW_PFN = new Rule("vfio-follow-pfn",
            "vaddr_get_pfn()", v(5, 7), v(5, 8), true, "vfio-pfnmap",
            List.of("pgoff", "reject", "fault-retry", "fault-no-retry"),
            "5cbf3264bc71 'vfio/type1: Fix VA->PA translation for PFNMAP VMAs in vaddr_get_pfn()'",
            "a PFNMAP range is translated with follow_pfn() and fails with -EFAULT unless already faulted in "
                    + "(before: vm_pgoff arithmetic, no fault needed)");
    public static final Rule VFIO_FOLLOW_FAULT_PFN = new Rule("vfio-follow-fault-pfn",
            "follow_fault_pfn()", v(5, 8), null, true, "vfio-pfnmap",
            List.of("pgoff", "reject", "fault-retry", "fault-no-retry"),
            "41311242221e 'vfio/type1: Support faulting PFNMAP vmas'; seed 003",
            "vfio faults a PFNMAP range in with fixup_user_fault(); if that dropped mmap_lock it returns -EAGAIN "
                    + "and looks the VMA up again");
    public static final Rule VFIO_FOLLOW_PTE_WRITE = new Rule("vfio-follow-pte-write",
            "follow_fault_pfn()", v(5, 12), null, true, null, NO_VALUES,
            "07956b6269d3 'vfio/type1: Use follow_pte()' (5.10.y from 5.10.20: vfio-follow-pte-write-5.10.y); "
                    + "'if (write_fault && !pte_write(pte)) ret = -EFAULT;' in the 5.15.135, 6.1.119 and 6.6.87 trees",
            "a writable map of a PFNMAP range whose PTE is present but read-only fails with -EFAULT; follow_pfn() "
                    + "(5.8-5.11) took the pfn without looking at the PTE's write bit");
    public static final Rule VFIO_FOLLOW_PTE_WRITE_510_STABLE = new Rule("vfio-follow-pte-write-5.10.y",
            "follow_fault_pfn()", v(5, 10, 20), v(5, 11), false, null, NO_VALUES,
            "the 5.10.y backport of 07956b6269d3, in 5.10.20; drivers/vfio/vfio_iommu_type1.c of the Debian 5.10.223 tree",
            "the 5.10 LTS from 5.10.20 refuses a writable map of a present read-only PFNMAP PTE with -EFAULT, as 5.12 does");
    public static final Rule VFIO_UNPIN_ZERO_PAGES = new Rule("vfio-unpin-zero-pages",
            "vaddr_get_pfns()", v(6, 0), null, false, null, NO_VALUES,
            "873aefb376bb 'vfio/type1: Unpin zero pages' (Alex Williamson, 2022; in 5.19.9)",
            "the zero pages a map pinned (a read-only map of untouched private memory) are unpinned at once; before, "
                    + "put_pfn() skipped them as reserved pfns and their pins leaked. Never charged to locked_vm");
    public static final Rule VFIO_UNPIN_ZERO_PAGES_510_STABLE = new Rule("vfio-unpin-zero-pages-5.10.y",
            "vaddr_get_pfns()", v(5, 10, 146), v(5, 11), false, null, NO_VALUES,
            "the 5.10.y backport of 873aefb376bb, in 5.10.146; drivers/vfio/vfio_iommu_type1.c of the Debian 5.10.223 tree",
            "the 5.10 LTS from 5.10.146 unpins the zero pages a map pinned, as 6.0 does");
    public static final Rule VFIO_FOLLOW_PFNMAP = new Rule("vfio-follow-pfnmap",
            "follow_pfnmap_start()", v(6, 12), null, true, null, NO_VALUES,
            "Peter Xu's follow_pfnmap API (mm/memory.c follow_pfnmap_start(), _end()); 6.12.0 tree",
            "follow_fault_pfn() reads the PFNMAP PTE with follow_pfnmap_start()/_end() instead of follow_pte(): "
                    + "the same answers, including -EFAULT for a write through a read-only PTE");
    public static final Rule VFIO_PFNMAP_BATCH = new Rule("vfio-pfnmap-batch",
            "vaddr_get_pfns()", v(6, 17), null, true, null, NO_VALUES,
            "drivers/vfio/vfio_iommu_type1.c 'epfn = (*pfn | (~addr_mask >> PAGE_SHIFT)) + 1' (6.17.0 tree)",
            "a PFNMAP translation returns the run of pfns up to the end of the leaf mapping (addr_mask) instead of "
                    + "one pfn, and a call that maps no page is -EFAULT; PTE-level PFNMAP mappings (all the model "
                    + "has) still give one page per call, so results do not change");
    public static final Rule VFIO_LARGE_FOLIO_BATCH = new Rule("vfio-large-folio-batch",
            "vfio_pin_pages_remote()", v(6, 18), null, false, null, NO_VALUES,
            "drivers/vfio/vfio_iommu_type1.c num_pages_contiguous(), vpfn_pages(), dma->has_rsvd (6.18.2 tree, "
                    + "not in 6.17.0)",
            "pins and releases the pages of a large folio as one run (unpin_user_page_range_dirty_lock() when the "
                    + "DMA has no reserved pfn): the same pages pinned, dirtied and released");
    public static final Rule VFIO_UNMAP_SAME_MM = new Rule("vfio-unmap-same-mm",
            "vfio_dma_do_unmap()", KernelRelease.OLDEST, v(6, 0), true, null, NO_VALUES,
            "8f0d5bb95f76 'vfio iommu type1: Add task structure to vfio_dma' added 'if (dma->task->mm != current->mm) "
                    + "break;'; 'vfio: remove useless judgement' (Li Zhe, 2022) removed it: in the 5.10.262 tree, not "
                    + "in the 6.1.176 tree",
            "an unmap by a task of another mm (a forked child, an exec()ed image) stops at the first map: 0, "
                    + "nothing unmapped, the pins and the charge stay");
    public static final Rule VFIO_DMA_OVERFLOW = new Rule("vfio-dma-overflow",
            "vfio_dma_do_map(), vfio_dma_do_unmap()", v(6, 18), null, true, null, NO_VALUES,
            "'vfio/type1: handle DMA map/unmap up to the addressable limit' (Alex Mastro, 2025): "
                    + "check_add_overflow() in the 7.2.13 tree, '+ size - 1 <' in the 6.12.117 tree",
            "an iova or vaddr range that wraps is -EOVERFLOW (after size 0's -EINVAL, before the prot and alignment "
                    + "checks), not -EINVAL");
    public static final Rule VFIO_MEMLOCK = new Rule("vfio-memlock",
            "vfio_pin_pages_remote()", KernelRelease.OLDEST, null, false, "memlock", List.of("unlimited", "BYTES"),
            "drivers/vfio/vfio_iommu_type1.c vfio_pin_pages_remote(), vfio_lock_acct(), 'dma->lock_cap = "
                    + "capable(CAP_IPC_LOCK)' in vfio_dma_do_map(); observed on Debian 5.10.223, 6.1.176, 6.12.117, 7.2.13",
            "pinned pages are charged to mm->locked_vm, with CAP_IPC_LOCK at MAP_DMA time too; without it, beyond the "
                    + "task's RLIMIT_MEMLOCK (--policy memlock= for a task no memlock line describes) the map is -ENOMEM");

    // ---- other pinning users ----
    public static final Rule IO_URING_FILE_CHECK = new Rule("io-uring-file-backed-check",
            "io_pin_pages()", v(5, 1), v(6, 5), false, null, NO_VALUES,
            "io_uring/rsrc.c; '[PATCH v6 4/6] io_uring: rsrc: delegate VMA file-backed check to GUP'; observed on "
                    + "Debian 6.1 (traces/real/6.1/iouring-matrix.txt)",
            "io_uring pins, then refuses any VMA with a file that is neither shmem nor hugetlbfs (-EOPNOTSUPP, "
                    + "even MAP_PRIVATE) and unpins");
    public static final Rule IO_URING_SHMEM = new Rule("io-uring-shmem-buffers",
            "io_sqe_buffer_register()", v(5, 14), v(6, 5), true, null, NO_VALUES,
            "fs/io_uring.c vma_is_shmem() exception (Pavel Begunkov, 'memfd/shmem is queued for 5.14', "
                    + "axboe/liburing issue #358)",
            "io_uring's file-backed check lets shmem (memfd, tmpfs, MAP_SHARED anonymous) through; 5.1-5.13 refuse it "
                    + "with -EOPNOTSUPP like any file");
    public static final Rule IO_URING_SHMEM_510_STABLE = new Rule("io-uring-shmem-buffers-5.10.y",
            "io_sqe_buffer_register()", v(5, 10, 162), v(5, 11), false, null, NO_VALUES,
            "'io_uring: import 5.15-stable io_uring' (Jens Axboe) in 5.10.162 (fs/io_uring.c vma_is_shmem() exception); "
                    + "observed on Debian 5.10.223 (traces/real/5.10/iouring-matrix-markers.txt)",
            "the 5.10 LTS as it ships lets shmem buffers through like 5.14: memfd, tmpfs and MAP_SHARED anonymous "
                    + "memory register (mainline 5.10-5.13 refused them)");
    public static final Rule IO_URING_MULTI_SOURCE = new Rule("io-uring-multi-source-buffers",
            "io_pin_pages()", v(6, 4), v(6, 5), true, null, NO_VALUES,
            "io_uring/rsrc.c, 'io_uring/rsrc: disallow multi-source reg buffers' (Pavel Begunkov, 2023, edd478269640); "
                    + "gone with the vmas array in 6.5",
            "one buffer's pages must all come from VMAs of the first page's file (or all anonymous): another is -EINVAL, "
                    + "checked page by page before the file-backed check, after the pin, which is then undone");
    public static final Rule IO_URING_MULTI_SOURCE_510_STABLE = new Rule("io-uring-multi-source-buffers-5.10.y",
            "io_sqe_buffer_register()", v(5, 10, 173), v(5, 11), false, null, NO_VALUES,
            "the 5.10.y backport of edd478269640, in 5.10.173; observed on Debian 5.10.223 (traces/real/5.10/iouring-span.txt)",
            "the 5.10 LTS as it ships refuses a buffer spanning mappings of different files, or of a file and anonymous "
                    + "memory, with -EINVAL");
    public static final Rule IO_URING_MULTI_SOURCE_515_STABLE = new Rule("io-uring-multi-source-buffers-5.15.y",
            "io_sqe_buffer_register()", v(5, 15), v(5, 16), true, null, NO_VALUES,
            "the 5.15.y backport of edd478269640 (inferred from the 5.10.y and 6.1.y ones, not observed)",
            "the 5.15 LTS as it ships refuses a buffer spanning mappings of different sources with -EINVAL");
    public static final Rule IO_URING_MULTI_SOURCE_61_STABLE = new Rule("io-uring-multi-source-buffers-6.1.y",
            "io_pin_pages()", v(6, 1, 16), v(6, 2), false, null, NO_VALUES,
            "the 6.1.y backport of edd478269640, in 6.1.16; observed on Debian 6.1.176 (traces/real/6.1/iouring-span.txt)",
            "the 6.1 LTS as it ships refuses a buffer spanning mappings of different sources with -EINVAL");
    public static final Rule IO_URING = new Rule("io-uring-fixed-buffers",
            "io_sqe_buffers_register()", v(5, 1), null, false, null, NO_VALUES,
            "io_uring/rsrc.c (fs/io_uring.c before 5.19)",
            "fixed buffers are pinned FOLL_WRITE|FOLL_LONGTERM; a partial pin is -EFAULT");
    public static final Rule IO_URING_PIN_FAST = new Rule("io-uring-pin-user-pages-fast",
            "io_pin_pages()", v(6, 6), null, true, null, NO_VALUES,
            "io_uring/io_uring.c io_pin_pages() in the 6.6.87 tree (io_uring/memmap.c from 6.12); 6.1 "
                    + "io_uring/rsrc.c calls pin_user_pages() under mmap_read_lock()",
            "fixed buffers are pinned with pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM): GUP-fast first, then the "
                    + "slow path");
    public static final Rule IO_URING_PIN_OVERFLOW = new Rule("io-uring-pin-overflow",
            "io_pin_pages()", v(7, 1), null, true, null, NO_VALUES,
            "io_uring/memmap.c io_pin_pages() check_add_overflow() and 'nr_pages > INT_MAX' (7.1.3 tree)",
            "-EOVERFLOW when uaddr + len wraps once page-aligned or spans more than INT_MAX pages; buffer "
                    + "registration meets io_buffer_validate()'s 1 GiB limit first, so results do not change");
    public static final Rule IO_URING_REGISTER_NULL_ARG = new Rule("io-uring-register-null-arg",
            "__io_uring_register()", v(6, 1), null, true, null, NO_VALUES,
            "io_uring/io_uring.c (6.1.119), io_uring/register.c (6.12.117, 7.2.13): 'ret = -EFAULT; if (!arg) break;'; "
                    + "absent from 5.15.135 and from Debian's 5.10.223 (its io_uring is the 5.15.y backport); observed "
                    + "on Debian 5.10, 6.1, 6.12, 7.2 (traces/real/*/iouring-register-errors.txt)",
            "IORING_REGISTER_BUFFERS with a NULL arg is -EFAULT before the busy-table check; before, a ring with "
                    + "buffers answers -EBUSY and one without reaches the nr_args check, then the iovec copy (-EFAULT)");
    public static final Rule IO_URING_REGISTERED_RING = new Rule("io-uring-register-registered-ring",
            "__do_sys_io_uring_register()", v(6, 3), null, false, null, NO_VALUES,
            "io_uring/register.c of 6.12.117 and 7.2.13: 'use_registered_ring = !!(opcode & "
                    + "IORING_REGISTER_USE_REGISTERED_RING)' (IORING_FEAT_REG_REG_RING, 6.3; not in the 6.1.176 uapi)",
            "bit 31 of the opcode names the ring by its index among the task's registered rings; before, such an "
                    + "opcode is past IORING_REGISTER_LAST: -EINVAL");
    public static final Rule IO_URING_RSRC_TABLES = new Rule("io-uring-rsrc-buffer-tables",
            "io_sqe_buffers_register(), io_buffer_validate()", v(5, 13), null, true, null, NO_VALUES,
            "IORING_MAX_REG_BUFFERS (1U << 14) and io_buffer_validate()'s '!iov_base: iov_len ? -EFAULT : 0' in the "
                    + "5.10.223, 6.1.119, 6.12.117 and 7.2.13 trees; mainline fs/io_uring.c before the 5.13 rsrc "
                    + "rework checked 'nr_args > UIO_MAXIOV' and refused any NULL iov_base",
            "nr_args may reach 16384 (1024 before) and an iovec {NULL, 0} is an empty slot, registered without a pin");
    public static final Rule IO_URING_RSRC_TABLES_510_STABLE = new Rule("io-uring-rsrc-buffer-tables-5.10.y",
            "io_sqe_buffers_register()", v(5, 10, 162), v(5, 11), false, null, NO_VALUES,
            "'io_uring: import 5.15-stable io_uring' in 5.10.162; Debian 5.10.223 io_uring/io_uring.c: IORING_MAX_REG_BUFFERS, io_buffer_validate(); "
                    + "observed (traces/real/5.10/iouring-register-errors.txt: 1025 empty slots register)",
            "the 5.10 LTS as it ships has 5.13's buffer tables: 16384 slots, {NULL, 0} an empty one");
    public static final Rule IO_URING_BUFFER_1T = new Rule("io-uring-buffer-1t",
            "io_validate_user_buf_range()", v(7, 2), null, true, null, NO_VALUES,
            "io_uring/rsrc.c in the 7.2.13 tree ('cap to 1TB for 64-bit': ulen > SZ_1T is -EINVAL); an earlier 7.x "
                    + "mainline copy still has 'ulen > SZ_1G || !ulen' -EFAULT; observed on Debian 7.2.13",
            "a registered buffer may be up to 1 TiB (-EINVAL beyond) instead of 1 GiB (-EFAULT beyond): a longer "
                    + "buffer than its mapping reaches the pin, which fails partway (-EFAULT)");
    public static final Rule IO_URING_CAPABLE_PINNED_VM = new Rule("io-uring-capable-pinned-vm",
            "io_account_mem()", v(5, 1), v(7, 2), true, null, NO_VALUES,
            "io_uring/rsrc.c io_account_mem(): 'if (ctx->mm_account) atomic64_add(nr_pages, &ctx->mm_account->pinned_vm)' "
                    + "whether or not ctx->user is set; observed on Debian 5.10.223, 6.1.176 and 6.12.117, and its absence "
                    + "on 7.2.13 (traces/real/*/memlock-matrix.txt: a root-made ring's 32 pages refuse a 4-page MR of its "
                    + "user until 7.2); the change was not read in its source, nor the release between 6.12 and 7.2 "
                    + "that made it",
            "a ring made with CAP_IPC_LOCK (no ctx->user, nothing charged to a user) still charges its buffers to the "
                    + "creator's mm->pinned_vm, which ib_umem_get()'s RLIMIT_MEMLOCK check counts; from 7.2 it charges "
                    + "nothing");
    public static final Rule IO_URING_MEMLOCK = new Rule("io-uring-memlock",
            "__io_account_mem()", v(5, 1), null, true, null, NO_VALUES,
            "io_uring/rsrc.c __io_account_mem(), io_buffer_account_pin(); io_uring_create() 'if (!capable(CAP_IPC_LOCK)) "
                    + "ctx->user = get_uid(current_user())'; observed on Debian 5.10.223, 6.1.176, 6.12.117, 7.2.13",
            "registered buffers are charged to the ring creator's user->locked_vm (when it lacked CAP_IPC_LOCK at "
                    + "io_uring_setup()) against the registering task's RLIMIT_MEMLOCK, -ENOMEM beyond; two rings of one "
                    + "user share the count; unregister and close give it back");
    public static final Rule RDMA_MEMLOCK = new Rule("rdma-memlock",
            "ib_umem_get()", KernelRelease.OLDEST, null, true, null, NO_VALUES,
            "drivers/infiniband/core/umem.c ib_umem_get(): can_do_mlock(), 'new_pinned > lock_limit && "
                    + "!capable(CAP_IPC_LOCK)'; observed on Debian 5.10.223, 6.1.176, 6.12.117, 7.2.13",
            "a limit of 0 without CAP_IPC_LOCK is -EPERM; mm->pinned_vm plus the region beyond RLIMIT_MEMLOCK is "
                    + "-ENOMEM unless the caller has CAP_IPC_LOCK; ib_umem_release() gives the pages back");
    public static final Rule RDMA_UMEM = new Rule("rdma-umem-pin",
            "ib_umem_get()", KernelRelease.OLDEST, null, true, null, NO_VALUES,
            "drivers/infiniband/core/umem.c ib_umem_get()",
            "get_user_pages() before 4.15, get_user_pages_longterm() 4.15-5.1, FOLL_LONGTERM 5.2-5.5, "
                    + "pin_user_pages_fast(FOLL_LONGTERM) from 5.6");
    public static final Rule RDMA_UMEM_FOLL_FORCE = new Rule("rdma-umem-foll-force",
            "ib_umem_get()", KernelRelease.OLDEST, v(6, 2), true, null, NO_VALUES,
            "b40656aa7d55 'RDMA/umem: remove FOLL_FORCE usage' (David Hildenbrand, 2022-11, with reliable R/O "
                    + "long-term pinning); drivers/infiniband/core/umem.c of the 6.1.119 tree (FOLL_FORCE) and 6.6.87 "
                    + "(FOLL_LONGTERM, FOLL_WRITE only if writable)",
            "every MR is pinned FOLL_WRITE, a read-only one FOLL_WRITE|FOLL_FORCE to break COW early (so a PROT_READ "
                    + "MAP_SHARED range fails with -EFAULT); from 6.2 a read-only MR pins without FOLL_WRITE");
    public static final Rule DIO_FOLL_PIN = new Rule("dio-foll-pin",
            "iov_iter_extract_pages()", v(6, 3), null, true, null, NO_VALUES,
            "lib/iov_iter.c iov_iter_extract_pages() (David Howells); 6.1 block/bio.c __bio_iov_iter_get_pages() "
                    + "uses iov_iter_get_pages2(), FOLL_GET (traces/real/6.1/dio-matrix.txt)",
            "O_DIRECT pins user buffers with FOLL_PIN; before, with FOLL_GET references");
    public static final Rule DIO_ZERO_PAST_EOF = new Rule("dio-zero-past-eof",
            "__iomap_dio_rw()", v(5, 15), null, true, null, NO_VALUES,
            "'iomap: switch __iomap_dio_rw to use iomap_iter' (Christoph Hellwig, 5.15): the 6.1.176 tree's loop runs "
                    + "to the request's end, the 5.10.262 tree's iomap_dio_rw() breaks at 'pos >= dio->i_size'",
            "an ext4 or xfs O_DIRECT read across i_size zeroes the buffer past the last block (iomap_dio_hole_iter(), "
                    + "iov_iter_zero()): a buffer page it cannot write makes the read -EFAULT; before, the read ended "
                    + "at that block");
    public static final Rule IO_URING_RW_CQE_IN_TASK = new Rule("io-uring-rw-cqe-in-task",
            "io_complete_rw()", v(5, 10, 162), null, true, null, NO_VALUES,
            "io_uring/rw.c io_complete_rw(): 'req->io_task_work.func = io_req_rw_complete; __io_req_task_work_add()' "
                    + "(io_req_task_complete() in 6.1); observed on Debian 5.10.223, 6.1.176, 6.12.117 and 7.2.13: "
                    + "every io_uring_complete of an O_DIRECT IORING_OP_READ in the submitting thread "
                    + "(traces/real/*/dio-unmap-uring.txt); 5.10.y carries 5.15's io_uring from 5.10.162; the "
                    + "mainline release that made it, and 5.10 before 5.10.162, were not read [U: the start]",
            "an O_DIRECT read or write issued through io_uring posts its CQE (io_uring_complete) from task work of the "
                    + "submitting task once its bios completed, which a recording of that task shows: its bios' "
                    + "pages are held until then; before, the CQE came from the bio's completion in whatever task "
                    + "the interrupt found, which a recording of the program mostly misses, and the pages are taken "
                    + "as released at the GUP's return");
    public static final Rule BTRFS_OUT_OF_BAND_DIRTY = new Rule("btrfs-rejects-out-of-band-dirty",
            "extent_writepage()", v(6, 12), v(6, 13), true, null, NO_VALUES,
            "fs/btrfs/extent_io.c extent_writepage_io() 'if (unlikely(!folio_test_ordered(folio)))', 'btrfs: reject "
                    + "out-of-band dirty folios during writeback' (Qu Wenruo, 2024), with no config guard in the 6.12.117 "
                    + "tree: observed on 6.12.117 (traces/real/6.12/writeback-fsync-dio-btrfs-markers.txt); not on "
                    + "Debian's 7.2.13 [U: the end]",
            "writeback of a folio dirtied without the filesystem knowing (re-dirtied at a pin's release after "
                    + "writeback cleaned it, with no write fault's btrfs_page_mkwrite() since) fails with -EUCLEAN: 'is "
                    + "marked dirty without notifying the fs'; the fsync() that wrote it returns that");
    public static final Rule SHMEM_DIRECT_IO = new Rule("shmem-direct-io",
            "shmem_file_open()", v(6, 6), null, true, null, NO_VALUES,
            "mm/shmem.c, 'tmpfs: trivial support for direct IO' (Hugh Dickins, e88e0d366f9c, 6.6); open(O_DIRECT) of a "
                    + "tmpfs file is -EINVAL on Debian 5.10.223 and 6.1.176 (traces/real/*/fs-dio.txt)",
            "a tmpfs or memfd file opens with O_DIRECT (FMODE_CAN_ODIRECT), served as buffered I/O; before, "
                    + "do_dentry_open() refuses it (no ->direct_IO)");
    public static final Rule BTRFS_DIO_PARTIAL_READ = new Rule("btrfs-dio-partial-read",
            "btrfs_direct_read()", v(5, 16), null, true, null, NO_VALUES,
            "fs/btrfs/file.c, 'btrfs: fix deadlock due to page faults during direct IO reads and writes' (Andreas "
                    + "Gruenbacher, 51bd9563b678, 5.16); observed on Debian 5.10.223 and 6.1.176 (traces/real/*/fs-dio.txt)",
            "an O_DIRECT read whose buffer GUP gets only in part returns the bytes before the first page it could not get "
                    + "(IOMAP_DIO_PARTIAL, then a buffered read of the rest stops there); before, -EFAULT");

    public static final Rule BTRFS_DIO_WRITE_BUFFERED = new Rule("btrfs-dio-write-buffered",
            "btrfs_direct_write()", v(6, 14), null, true, null, NO_VALUES,
            "fs/btrfs/direct-io.c, 'btrfs: always fallback to buffered write if the inode requires checksum' (Qu Wenruo, "
                    + "968f19c5b1b7; btrfs-progs Documentation/ch-checksumming.rst: 'since v6.14'); observed on Debian "
                    + "7.2.13 (traces/real/7.2/fs-dio-markers.txt)",
            "an O_DIRECT write to a file with data checksums (no NODATASUM: btrfs's default) goes through the page cache: "
                    + "the CPU copies the buffer (no GUP: memory GUP refuses, memfd_secret()'s, is written), then the range "
                    + "is written back and its clean unmapped folios dropped");
    public static final Rule BTRFS_DIO_WRITE_BUFFERED_612_STABLE = new Rule("btrfs-dio-write-buffered-6.12.y",
            "btrfs_direct_write()", v(6, 12, 77), v(6, 13), false, null, NO_VALUES,
            "the 6.12.y backport of 968f19c5b1b7, in 6.12.77; observed on Debian 6.12.117 (traces/real/6.12/fs-dio-markers.txt)",
            "the 6.12 LTS as it ships writes O_DIRECT requests to checksummed btrfs files through the page cache, "
                    + "as 6.14 does");

    public static final Rule BTRFS_WRITE_ONE_FOLIO = new Rule("btrfs-buffered-write-one-folio",
            "btrfs_buffered_write()", v(6, 15), null, true, null, NO_VALUES,
            "fs/btrfs/file.c: 6.12.117's loop faults in nrptrs pages at a time (at least 8, up to the dirty throttle's "
                    + "nr_dirtied_pause); 7.2.13's copy_one_range() faults in calc_write_bytes(): one folio of the "
                    + "mapping's largest size at a time; observed on 6.18.44 (traces/real-host/6.18/fs-dio-markers.txt)",
            "a buffered write (btrfs's O_DIRECT fallback among them) faults its source in one folio-sized, folio-aligned "
                    + "chunk at a time: a chunk it cannot fault in whole ends the write there (-EFAULT when it is the "
                    + "first); before, a chunk of nrptrs pages from the write's position");
    public static final Rule BTRFS_LARGE_DATA_FOLIOS = new Rule("btrfs-large-data-folios",
            "btrfs_set_inode_mapping_order()", v(6, 19), null, true, null, NO_VALUES,
            "fs/btrfs/btrfs_inode.h, fs/btrfs/disk-io.c calc_block_max_order() in 7.2.13: BTRFS_MAX_BLOCKS_PER_FOLIO "
                    + "(BITS_PER_LONG blocks without CONFIG_BTRFS_EXPERIMENTAL); cc38d178ff33 (6.17) enabled large data "
                    + "folios under CONFIG_BTRFS_EXPERIMENTAL only, and 6.18.44 wrote page by page; 7.2.13 "
                    + "(traces/real/7.2/fs-dio-markers.txt) refuses a whole 256 KiB chunk",
            "a btrfs data mapping takes folios of up to 64 blocks (256 KiB with 4 KiB blocks): the buffered write's "
                    + "chunk is that large; before, one page");

    public static final Rule DAX_COPY_WHOLE_WORDS = new Rule("dax-write-copy-whole-words",
            "__copy_user_nocache()", v(6, 4), null, true, null, NO_VALUES,
            "arch/x86/lib/copy_user_uncached_64.S, 034ff37d3407 'x86: rewrite '__copy_user_nocache' function' (Linus "
                    + "Torvalds, 2023); observed on Debian 6.12.117 and 7.2.13, not 6.1.176 (traces/real/*/fs-dio-markers.txt)",
            "an fs-DAX write copied with the CPU (dax_iomap_rw(), dax_copy_from_iter()) that faults on the buffer keeps only "
                    + "the whole 8-byte words of the destination it wrote: 8191 bytes where a buffer at file position 1 "
                    + "ends after 8192 (before, every byte up to the fault)");

    public static final Rule BTRFS_DIO_NOFAULT = new Rule("btrfs-dio-nofault",
            "btrfs_direct_read(), btrfs_direct_write()", v(5, 16), null, true, null, NO_VALUES,
            "fs/btrfs/file.c, 'btrfs: fix deadlock due to page faults during direct IO reads and writes' (Andreas "
                    + "Gruenbacher, 51bd9563b678, 5.16); observed on Debian 7.2.13 (traces/real/7.2/fs-dio-markers.txt)",
            "btrfs's O_DIRECT first pins its buffer with page faults disabled (FOLL_NOFAULT): a page that needs a fault, "
                    + "not present or write-protected, stops that attempt; btrfs faults the rest in and tries again");

    // ---- madvise() (mm/madvise.c) ----
    public static final Rule MPROTECT_TRY_WRITABLE = new Rule("mprotect-try-change-writable",
            "change_pte_range() MM_CP_TRY_CHANGE_WRITABLE", v(6, 0), null, true, null, NO_VALUES,
            "'mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection' (David "
                    + "Hildenbrand): can_change_pte_writable() in the 6.1.176 tree, absent from the 5.10.262 tree",
            "mprotect() giving a private VMA write permission makes the dirty PTEs of exclusive anonymous pages "
                    + "writable at once (no write fault needed: GUP-fast, FOLL_NOFAULT and FOLL_FAST_ONLY take them)");
    public static final Rule MPROTECT_SEAL_PER_VMA = new Rule("mprotect-seal-per-vma",
            "mprotect_fixup() can_modify_vma()", v(6, 12), null, true, null, NO_VALUES,
            "'mm/mprotect: replace can_modify_mm with can_modify_vma' (Pedro Falcato, the 'mm: Optimize mseal checks' "
                    + "series): mprotect_fixup() in the 6.12.y tree (can_modify_vma()) and 7.2's (vma_is_sealed()); "
                    + "6.10's do_mprotect_pkey() calls can_modify_mm() on the whole range first (6.11 taken as 6.10); "
                    + "observed on 6.18 (fuzz-long-404-markers)",
            "mprotect() over an mseal()ed VMA is -EPERM at that VMA: the VMAs before it keep their new protection "
                    + "(6.10: nothing changes)");
    public static final Rule MADV_POPULATE = new Rule("madv-populate",
            "madvise_populate()", v(5, 14), null, false, null, NO_VALUES,
            "4ca9b3859dac 'mm/madvise: introduce MADV_POPULATE_(READ|WRITE) to prefault page tables' (David "
                    + "Hildenbrand)",
            "MADV_POPULATE_READ (22) and MADV_POPULATE_WRITE (23) exist: they fault the range in through GUP "
                    + "(-EINVAL for incompatible VMAs or permissions, -ENOMEM for holes); before, -EINVAL");
    public static final Rule MADV_DONTNEED_LOCKED = new Rule("madv-dontneed-locked",
            "madvise_dontneed_free_valid_vma()", v(5, 18), null, false, null, NO_VALUES,
            "9457056ac426 'mm: madvise: MADV_DONTNEED_LOCKED' (Johannes Weiner)",
            "MADV_DONTNEED_LOCKED (24) exists and zaps VM_LOCKED ranges too; before, -EINVAL");
    public static final Rule MADV_DONTNEED_HUGETLB = new Rule("madv-dontneed-hugetlb",
            "madvise_dontneed_free_valid_vma()", v(5, 18), null, false, null, NO_VALUES,
            "90e7e7f5ef3f 'mm: enable MADV_DONTNEED for hugetlb mappings' (Mike Kravetz)",
            "MADV_DONTNEED on a hugetlb VMA zaps huge pages when the start is huge-page aligned; before, -EINVAL "
                    + "(can_madv_lru_vma())");
    public static final Rule MADV_COLLAPSE = new Rule("madv-collapse",
            "madvise_collapse()", v(6, 1), null, false, null, NO_VALUES,
            "7d8faaf15545 'mm/madvise: introduce MADV_COLLAPSE sync hugepage collapse' (Zach O'Keefe)",
            "MADV_COLLAPSE (25) exists (its result depends on THP settings and memory the model does not know: not "
                    + "judged); before, -EINVAL");
    public static final Rule MADV_POPULATE_FAULTIN_PAGE_RANGE = new Rule("madv-populate-stops-at-hole",
            "madvise_populate() faultin_page_range()", v(6, 9), null, false, null, NO_VALUES,
            "631426ba1d45 'mm/madvise: make MADV_POPULATE_(READ|WRITE) handle VM_FAULT_RETRY properly' (David "
                    + "Hildenbrand)",
            "MADV_POPULATE_* no longer walks the VMAs like other advice: it stops at the first hole with -ENOMEM; "
                    + "before, holes were skipped (-ENOMEM at the end) and a later VMA's -EINVAL won");
    public static final Rule MADV_GUARD = new Rule("madv-guard",
            "madvise_guard_install()", v(6, 13), null, false, null, NO_VALUES,
            "662df3e5c376 'mm: madvise: implement lightweight guard page mechanism' (Lorenzo Stoakes)",
            "MADV_GUARD_INSTALL (102) and MADV_GUARD_REMOVE (103) exist, on private anonymous writable VMAs that are "
                    + "not VM_SPECIAL or hugetlb (INSTALL: nor VM_LOCKED); before, -EINVAL");
    public static final Rule MADV_GUARD_FILE = new Rule("madv-guard-file",
            "is_valid_guard_vma()", v(6, 15), null, true, null, NO_VALUES,
            "'mm: allow guard regions in file-backed and read-only mappings' (Lorenzo Stoakes, 2025)",
            "guard regions are allowed in file-backed and read-only mappings too (only VM_SPECIAL, hugetlb and, "
                    + "for INSTALL, VM_LOCKED are refused)");
    public static final Rule XFS_FLUSH_UNMAP_WHOLE_FOLIO = new Rule("xfs-flush-unmap-whole-folio",
            "xfs_flush_unmap_range()", v(6, 18), v(6, 19), true, null, NO_VALUES,
            "observed on the host's 6.18.44 (traces/real-host/6.18/fuzz-long-527-markers.txt: "
                    + "mm_filemap_delete_from_page_cache of an order-2 folio at 0 for a punch of 0x3000-0x6000; and "
                    + "by hand: an xfs punch of one page of a 64 KiB folio takes the whole folio (ext4 splits it), and "
                    + "after an xfs punch or zero of part of a 16 KiB folio a guard marker over it goes exactly when "
                    + "a page of it is mapped); Debian's 7.2.13 splits "
                    + "such folios (traces/real/7.2/fuzz-ops-5-markers.txt); the change between is not pinned down",
            "an xfs punch-hole or zero-range takes a large page-cache folio it covers only in part out of the page "
                    + "cache whole; one still mapped is unmapped with unmap_mapping_folio(), whose ZAP_FLAG_DROP_MARKER "
                    + "drops the guard markers over the whole folio in every VMA of the file");
    public static final Rule MADV_REMOVE_MAYWRITE = new Rule("madv-remove-shared-maywrite",
            "madvise_remove()", v(6, 1), null, true, null, NO_VALUES,
            "observed in the madvise-matrix recordings: Debian 5.10.223 -EACCES, 6.1.176, 6.12.117 and 7.2.13 0; "
                    + "the newest mm/madvise.c tests vma_is_shared_maywrite(); the commit between is not pinned down",
            "MADV_REMOVE needs VM_SHARED|VM_MAYWRITE, so a read-only shared mapping of a file opened for writing "
                    + "punches the hole; before, VM_SHARED|VM_WRITE (-EACCES). The same series lets a read-only "
                    + "MAP_SHARED of an F_SEAL_WRITE memfd map (its VM_MAYWRITE cleared); before, mapping_map_writable() "
                    + "refused it (-EPERM)");
    public static final Rule MADV_REMOVE_MAYWRITE_510_STABLE = new Rule("madv-remove-shared-maywrite-5.10.y",
            "madvise_remove()", v(5, 10, 241), v(5, 11), false, null, NO_VALUES,
            "'mm: drop the assumption that VM_SHARED always implies writable' in the 5.10.241 section of Debian's "
                    + "5.10.262 changelog; mm/madvise.c of the 5.10.262 tree tests vma_is_shared_maywrite()",
            "the 5.10 LTS from 5.10.241 punches through a read-only shared mapping of a file opened for writing, "
                    + "as 6.1.y does (5.10.223 was observed refusing it)");

    public static final Rule MADV_DOFORK_CAN_MERGE = new Rule("madv-dofork-can-merge",
            "madvise_vma_behavior() MADV_DOFORK", v(7, 0), null, true, null, NO_VALUES,
            "observed in the madvise-matrix recordings: Debian 6.12.117 0, 7.2.13 -EINVAL on every hugetlb VMA; "
                    + "the newest mm/madvise.c tests vma_can_merge() where 5.10 to 6.12 test VM_IO",
            "MADV_DOFORK refuses a VMA that cannot merge (VM_SPECIAL, hugetlb) with -EINVAL; before, only VM_IO");

    public static final Rule MMAP_SEALS_IN_MMAP_HOOK = new Rule("mmap-seals-in-mmap-hook",
            "shmem_mmap(), hugetlbfs_file_mmap() seal_check_write()", KernelRelease.OLDEST, v(6, 12), false, null,
            NO_VALUES,
            "mm/shmem.c shmem_mmap() and fs/hugetlbfs/inode.c hugetlbfs_file_mmap() in the 5.10.223 and 6.1.176 trees, "
                    + "which mmap_region() calls after unmapping the range; the 6.12.117 and 7.2.13 trees test the "
                    + "seals in do_mmap() (memfd_check_seals_mmap()), before; traces/real/6.1/fuzz-deepest-805-markers.txt",
            "a MAP_FIXED mmap() or remap_file_pages() of a memfd sealed F_SEAL_FUTURE_WRITE, shared and writable, is "
                    + "-EPERM with the mappings it was to replace gone (before, a refusal that leaves them)");
    public static final Rule MMAP_WRITABLE_BEFORE_UNMAP = new Rule("mmap-writable-before-unmap",
            "mmap_region() mapping_map_writable()", v(6, 12), null, false, null, NO_VALUES,
            "5de195060b2e 'mm: resolve faulty mmap_region() error path behaviour' (Lorenzo Stoakes); the 5.10.223 "
                    + "tree calls mapping_map_writable() after munmap_vma_range()",
            "a MAP_SHARED mmap() or remap_file_pages() of a memfd sealed F_SEAL_WRITE is refused (-EPERM) before "
                    + "mmap_region() unmaps anything; before, after: a MAP_FIXED one leaves a gap");
    public static final Rule MMAP_WRITABLE_BEFORE_UNMAP_61_STABLE = new Rule("mmap-writable-before-unmap-6.1.y",
            "mmap_region() mapping_map_writable()", v(6, 1, 119), v(6, 2), false, null, NO_VALUES,
            "'mm: resolve faulty mmap_region() error path behaviour' in the 6.1.119 section of Debian's 6.1.176 "
                    + "changelog; mm/mmap.c mmap_region() of the 6.1.176 tree",
            "the 6.1 LTS from 6.1.119 refuses a shared mapping of an F_SEAL_WRITE memfd before unmapping, as 6.12 does");

    // ---- rules that hold in every modelled release ----
    public static final Rule MMAP_FIXED_REFUSED_GAP = new Rule("mmap-fixed-refused-gap",
            "mmap_region()", KernelRelease.OLDEST, null, false, null, NO_VALUES,
            "mm/mmap.c mmap_region() unmap_and_free_vma (5.10.223), __mmap_region() (6.1.176), "
                    + "vms_abort_munmap_vmas() after vms_clean_up_area() (mm/vma.c, 6.12.117, 7.2.13): \"Resort to the "
                    + "old failure method of leaving a gap where the MAP_FIXED mapping failed\"",
            "a MAP_FIXED mapping the file's ->mmap() refuses (hugetlbfs_file_mmap(): a page offset not aligned to the "
                    + "huge page, -EINVAL; a reservation the pool cannot give, -ENOMEM; a write seal, while the hook "
                    + "tests it) leaves the range it was to replace unmapped");
    public static final Rule PFNMAP_EFAULT = new Rule("check-vma-flags-io-pfnmap",
            "check_vma_flags()", KernelRelease.OLDEST, null, false, null, NO_VALUES,
            "mm/gup.c check_vma_flags()",
            "GUP on a VM_IO|VM_PFNMAP VMA fails with -EFAULT");
    public static final Rule TRUNCATE_PAGECACHE = new Rule("truncate-detaches-pinned-pages",
            "truncate_inode_pages_range()", KernelRelease.OLDEST, null, false, null, NO_VALUES,
            "mm/truncate.c truncate_inode_pages_range(); observed on Debian 6.1 (traces/real/6.1)",
            "truncating page cache does not wait for pins: pinned pages are detached and I/O completes into them");
    public static final Rule WRITEBACK_MKCLEAN = new Rule("writeback-mkclean",
            "folio_clear_dirty_for_io()", KernelRelease.OLDEST, null, false, null, NO_VALUES,
            "mm/page-writeback.c folio_clear_dirty_for_io(); mm/rmap.c folio_mkclean()",
            "writeback cleans dirty folios and write-protects their user PTEs; a write through a pin goes unseen");

    public static final List<Rule> ALL = List.of(
            GET_USER_PAGES_LONGTERM, FOLL_LONGTERM_FLAG, PIN_USER_PAGES, PIN_COUNTING_BIAS, GUP_FAST_FLAGS,
            FOLL_NOFAULT, HUGETLB_GUP_FAULTS_NOFAULT, IS_VALID_GUP_FLAGS, IS_VALID_GUP_ARGS, GUP_LONGTERM_UNLOCKABLE,
            FOLL_MODERN_LAYOUT, ZERO_PAGE_PIN_NOOP, ZERO_PAGE_PIN_NOOP_61_STABLE, PIN_FAST_BAD_ARGS_ZERO, GUP_FAST_ACCESS_OK, GUP_FAST_DEVMAP, LONGTERM_PINNABLE_FSDAX,
            MEMFD_PIN_FOLIOS, UDMABUF_MMAP_PFNMAP, MEMFD_SEAL_EXEC, UDMABUF_SEAL_FUTURE_WRITE, UDMABUF_SEAL_FUTURE_WRITE_612_STABLE, LONGTERM_FSDAX_BEFORE_PIN, SPLIT_PMD_HUGETLB, SPLIT_PMD_HUGETLB_612_STABLE,
            HUGETLB_FORCE_WRITE, HUGETLB_FORCE_WRITE_519_STABLE, HUGETLB_WP_WRITABLE, HUGETLB_NO_PAGE_CACHE_FIRST, HUGETLB_PUNCH_SEALS_FIRST, HUGETLB_FORK_COPY_WRITABLE,
            RELIABLE_RO_LONGTERM,
            FORK_EARLY_COW, FORK_EARLY_COW_HUGETLB, WP_REUSE_REFCOUNT, ANON_EXCLUSIVE, TRANSPARENT_HUGEPAGE, THP_WP_MAPCOUNT,
            WRITABLE_FILE_MAPPING, GUP_FAST_FOLIO_ALLOWED, SECRETMEM, SECRETMEM_VM_LOCKED, SECRETMEM_VM_LOCKED_618,
            SECRETMEM_FAULT_ACCOUNT,
            LONGTERM_MIGRATE_CMA,
            LONGTERM_MIGRATE_CMA_ENOMEM_510_STABLE, LONGTERM_MIGRATE_MOVABLE,
            XFS_BREAK_LAYOUTS, EXT4_BREAK_LAYOUTS, EXT4_FALLOCATE_BREAKS_FIRST,
            EXT4_FALLOCATE_BREAKS_FIRST_612_STABLE, MREMAP_LOOKUP_FIRST, MREMAP_CHECKS_FIRST, FALLOCATE_MODE_SWITCH, FALLOC_WRITE_ZEROES, DAX_IDLE_AT_ZERO, DAX_BREAK_LAYOUT, DAX_BUSY_UNMAPPED,
            BIO_RELEASE_DAX_WAKEUP, VFIO_FSDAX, VFIO_FOLLOW_PFN, VFIO_FOLLOW_FAULT_PFN, VFIO_FOLLOW_PTE_WRITE,
            VFIO_FOLLOW_PTE_WRITE_510_STABLE, VFIO_UNPIN_ZERO_PAGES, VFIO_UNPIN_ZERO_PAGES_510_STABLE, VFIO_FOLLOW_PFNMAP, VFIO_PFNMAP_BATCH, VFIO_LARGE_FOLIO_BATCH, VFIO_UNMAP_SAME_MM, VFIO_DMA_OVERFLOW, VFIO_MEMLOCK, IO_URING, IO_URING_PIN_FAST,
            IO_URING_PIN_OVERFLOW, IO_URING_FILE_CHECK, IO_URING_SHMEM, IO_URING_SHMEM_510_STABLE,
            IO_URING_MULTI_SOURCE, IO_URING_MULTI_SOURCE_510_STABLE, IO_URING_MULTI_SOURCE_515_STABLE,
            IO_URING_MULTI_SOURCE_61_STABLE,
            IO_URING_REGISTER_NULL_ARG, IO_URING_REGISTERED_RING, IO_URING_RSRC_TABLES, IO_URING_RSRC_TABLES_510_STABLE, IO_URING_BUFFER_1T,
            IO_URING_MEMLOCK, IO_URING_CAPABLE_PINNED_VM, RDMA_MEMLOCK, RDMA_UMEM, RDMA_UMEM_FOLL_FORCE, DIO_FOLL_PIN, DIO_ZERO_PAST_EOF,
            SHMEM_DIRECT_IO, DAX_COPY_WHOLE_WORDS, BTRFS_DIO_PARTIAL_READ, BTRFS_DIO_NOFAULT, BTRFS_DIO_WRITE_BUFFERED,
            BTRFS_DIO_WRITE_BUFFERED_612_STABLE, BTRFS_WRITE_ONE_FOLIO, BTRFS_LARGE_DATA_FOLIOS, BTRFS_OUT_OF_BAND_DIRTY,
            IO_URING_RW_CQE_IN_TASK, MPROTECT_TRY_WRITABLE, MPROTECT_SEAL_PER_VMA, MADV_POPULATE, MADV_DONTNEED_LOCKED, MADV_DONTNEED_HUGETLB, MADV_COLLAPSE, MADV_POPULATE_FAULTIN_PAGE_RANGE,
            MADV_GUARD, MADV_GUARD_FILE, XFS_FLUSH_UNMAP_WHOLE_FOLIO, MADV_REMOVE_MAYWRITE, MADV_REMOVE_MAYWRITE_510_STABLE, MADV_DOFORK_CAN_MERGE,
            MMAP_SEALS_IN_MMAP_HOOK, MMAP_WRITABLE_BEFORE_UNMAP, MMAP_WRITABLE_BEFORE_UNMAP_61_STABLE, MMAP_FIXED_REFUSED_GAP,
            PFNMAP_EFAULT, TRUNCATE_PAGECACHE, WRITEBACK_MKCLEAN);
}
