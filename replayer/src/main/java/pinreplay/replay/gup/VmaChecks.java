package pinreplay.replay.gup;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.kernel.LongtermFsdax;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.kernel.WpReuse;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;

/** The slow path's per-VMA questions (mm/gup.c), with the errno precedence of the order of the ifs. */
public final class VmaChecks {
    private final Profile profile;

    public VmaChecks(Profile profile) {
        this.profile = profile;
    }

    /**
     * mm/gup.c check_vma_flags() in the order of 7.1: the fsdax test from v5.11 (before: after pinning), FOLL_SPLIT_PMD
     * on hugetlb from 6.15, the dirty-tracking test from 6.5, hugetlb FOLL_FORCE|FOLL_WRITE refused 6.0-6.14.
     */
    public int checkVmaFlags(VmArea vma, long foll) {
        boolean write = (foll & Foll.WRITE) != 0;
        boolean anon = vma.isAnonymous();
        if (vma.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
            return -Errno.EFAULT;
        }
        if ((foll & Foll.ANON) != 0 && !anon) {
            return -Errno.EFAULT;
        }
        if ((foll & Foll.LONGTERM) != 0 && profile.longtermFsdax == LongtermFsdax.BEFORE_PIN
                && vma.isFsdax(profile.daxEnabled())) {
            return -Errno.EOPNOTSUPP;
        }
        if ((foll & Foll.SPLIT_PMD) != 0 && profile.splitPmdHugetlb && vma.isHugetlb()) {
            return -Errno.EOPNOTSUPP;
        }
        // vma_is_secretmem() (v5.14 memfd_secret; before, the stub answers false)
        if (profile.secretmem && vma.isSecretmem()) {
            return -Errno.EFAULT;
        }
        if (write) {
            if (!anon && profile.writableFileMappingCheck && !writableFileMappingAllowed(vma, foll)) {
                return -Errno.EFAULT;
            }
            if (!vma.has(VmFlags.VM_WRITE)) {
                if ((foll & Foll.FORCE) == 0) {
                    return -Errno.EFAULT;
                }
                // hugetlb does not support FOLL_FORCE|FOLL_WRITE (6.0-6.14).
                if (profile.hugetlbRefusesForceWrite && vma.isHugetlb()) {
                    return -Errno.EFAULT;
                }
                // We used to let the write,force case do COW in a VM_MAYWRITE VM_SHARED !VM_WRITE vma; now reject.
                if (!VmFlags.isCowMapping(vma.vmFlags)) {
                    return -Errno.EFAULT;
                }
            }
        } else if (!vma.has(VmFlags.VM_READ)) {
            if ((foll & Foll.FORCE) == 0 || !vma.has(VmFlags.VM_MAYREAD)) {
                return -Errno.EFAULT;
            }
        }
        return 0;
    }

    /**
     * mm/gup.c writable_file_mapping_allowed(), v6.5: only a long-term pin can write unseen after
     * writeback cleaned the folio, so only FOLL_PIN|FOLL_LONGTERM is refused on mappings needing dirty tracking.
     */
    public static boolean writableFileMappingAllowed(VmArea vma, long foll) {
        if ((foll & (Foll.PIN | Foll.LONGTERM)) != (Foll.PIN | Foll.LONGTERM)) {
            return true;
        }
        return !vma.needsDirtyTracking();
    }

    /**
     * gup_must_unshare(): a R/O FOLL_PIN of an anonymous page that is not exclusive unshares it first
     * (include/linux/mm.h, 5.19+); and (mm/internal.h, 6.2+) a R/O FOLL_PIN|FOLL_LONGTERM pin in a COW
     * mapping must not pin a page-cache or zero page, but an exclusive anonymous copy.
     */
    public boolean gupMustUnshare(VmArea vma, long foll, boolean anonPage, boolean exclusive) {
        if ((foll & (Foll.WRITE | Foll.PIN)) != Foll.PIN) {
            return false;
        }
        if (anonPage) {
            return profile.wpReuse == WpReuse.EXCLUSIVE && !exclusive;
        }
        return profile.reliableRoLongterm && (foll & Foll.LONGTERM) != 0 && VmFlags.isCowMapping(vma.vmFlags);
    }
}
