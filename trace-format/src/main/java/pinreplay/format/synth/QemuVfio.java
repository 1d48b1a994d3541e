package pinreplay.format.synth;

/**
 * QEMU with guest RAM from {@code memory-backend-file} and a vfio passthrough device that maps all of
 * it at start (VFIO_IOMMU_MAP_DMA pins every page for the VM's life: seeds 000, 002, 004).
 */
final class QemuVfio implements Scenario {
    /** CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, as glibc's pthread_create passes. */
    static final long THREAD_CLONE_FLAGS = 0x3d0f00;

    @Override
    public String name() {
        return "qemu-vfio";
    }

    @Override
    public String description() {
        return "A QEMU guest whose RAM is a memory-backend-file (share=on maps it MAP_SHARED, share=off MAP_PRIVATE,"
                + " QEMU's default) with a vfio passthrough device that maps all of it at start; vCPU threads share"
                + " the mm; the device DMAs into guest RAM; the host writes back, punches holes and truncates."
                + " ext4 share=on: -EFAULT from 6.5, writes into cleaned folios before; dax=1: -EOPNOTSUPP from the"
                + " vfio fix on, reallocated blocks under DMA before.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .value("size", "4G", "guest RAM size")
                .word("share", "off", "memory-backend-file share= (on: MAP_SHARED)", "on", "off")
                .word("fs", "ext4", "filesystem of the backing file", "ext4", "xfs", "btrfs", "tmpfs", "hugetlbfs", "devdax")
                .word("dax", "0", "file on a DAX mount (ext4/xfs)", "0", "1")
                .value("vcpus", "2", "vCPU threads")
                .value("dma-rate", "2000", "device DMA operations per second")
                .value("dma-write", "0.7", "share of DMA operations that write guest memory")
                .value("cpu-rate", "500", "guest memory touches per second per vCPU")
                .value("writeback-rate", "1", "host writeback passes per second (writeback-capable filesystems)")
                .value("punch-hole-rate", "0", "host punch-holes in the backing file per second")
                .value("truncate-rate", "0", "host shrink-and-regrow truncates of the backing file per second");
    }

    @Override
    public void setup(Synth s, Params p) {
        Emitter e = s.emit;
        long size = Synth.align(p.size("size"), Synth.HUGE);
        Task qemu = s.process("qemu-system-x86");
        int vcpus = Math.max(1, p.integer("vcpus"));
        Task[] cpu = new Task[vcpus];
        for (int i = 0; i < vcpus; i++) {
            cpu[i] = s.thread(qemu, i + 1, "CPU " + i + "/KVM");
            e.taskNewtask(qemu, s.tick(), cpu[i], THREAD_CLONE_FLAGS);
        }
        String fs = p.get("fs");
        Mapping ram = Backing.mapFile(s, qemu, fs, p.flag("dax") && !fs.equals("devdax") ? 1 : 0, p.flag("share"), size);
        Word vfio = s.handle("vfio");
        long iova = s.iova(size);
        long now = s.tick();
        e.lock(qemu, now, false); // vaddr_get_pfns() under mmap_read_lock()
        e.vfioDmaMap(qemu, now, vfio, ram.addr(), iova, size, e.rw);
        e.unlock(qemu, now, false);
        if (ram.file() != null) {
            ram.file().populateAll(true); // the pin faulted every page in for write: no per-page lines
        }
        for (Task t : cpu) {
            s.add(new CpuTouch(s, t, ram, p.number("cpu-rate"), 0.5));
        }
        s.add(new DmaTraffic(s, qemu, vfio, true, iova, size, p.number("dma-rate"), p.number("dma-write"), 4096, 65536));
        Housekeeping.add(s, p, ram, fs);
    }
}
