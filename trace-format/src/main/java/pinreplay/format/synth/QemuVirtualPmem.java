package pinreplay.format.synth;

/**
 * Seed 002: a guest with a virtual NVDIMM backed by a DAX file. Emulated devices have QEMU do the
 * DMA with O_DIRECT into guest memory (short pins); a passthrough device maps the NVDIMM through
 * vfio (long pins, refused for fs-DAX once vfio uses FOLL_LONGTERM).
 */
final class QemuVirtualPmem implements Scenario {
    @Override
    public String name() {
        return "qemu-virtual-pmem";
    }

    @Override
    public String description() {
        return "A QEMU guest with anonymous RAM and a virtual NVDIMM on a DAX file (fs=xfs|ext4 with dax, or"
                + " devdax). An emulated disk has QEMU read into NVDIMM pages with O_DIRECT (short pins the"
                + " filesystem waits for); passthrough=1 adds a vfio device mapping RAM and NVDIMM (long pins:"
                + " refused on fs-DAX from the vfio fix on, blocks reallocated under DMA before).";
    }

    @Override
    public Params params() {
        return new Params(name())
                .value("ram", "2G", "anonymous guest RAM")
                .value("pmem-size", "8G", "virtual NVDIMM size")
                .word("fs", "xfs", "where the NVDIMM file lives", "xfs", "ext4", "devdax")
                .word("passthrough", "0", "also map RAM and NVDIMM for a vfio device", "0", "1")
                .value("emulated-rate", "500", "emulated-disk O_DIRECT requests per second")
                .value("iodepth", "4", "emulated-disk requests in flight")
                .value("dma-rate", "1000", "passthrough device DMA operations per second")
                .value("punch-hole-rate", "0", "host punch-holes in the NVDIMM file per second")
                .value("truncate-rate", "0", "host shrink-and-regrow truncates of the NVDIMM file per second");
    }

    @Override
    public void setup(Synth s, Params p) {
        Emitter e = s.emit;
        Task qemu = s.process("qemu-system-x86");
        Task vcpu = s.thread(qemu, 1, "CPU 0/KVM");
        e.taskNewtask(qemu, s.tick(), vcpu, QemuVfio.THREAD_CLONE_FLAGS);
        long ramSize = Synth.align(p.size("ram"), Synth.HUGE);
        long pmemSize = Synth.align(p.size("pmem-size"), Synth.HUGE);
        Mapping ram = Backing.map(s, qemu, "anon", true, ramSize);
        String fs = p.get("fs");
        Mapping pmem = Backing.mapFile(s, qemu, fs, fs.equals("devdax") ? 0 : 1, true, pmemSize);
        Mapping disk = Backing.mapFile(s, qemu, "ext4", 0, false, 1L << 30);
        Task io = s.thread(qemu, 2, "worker");
        e.taskNewtask(qemu, s.tick(), io, QemuVfio.THREAD_CLONE_FLAGS);
        int depth = Math.max(1, p.integer("iodepth"));
        for (int i = 0; i < depth; i++) {
            s.add(new DirectIo(s, io, s.handle("dio"), disk.ino(), disk.len(), pmem.addr(), pmemSize, 65536,
                    p.number("emulated-rate") / depth, 1.0, 80_000));
        }
        s.add(new CpuTouch(s, vcpu, pmem, 200, 0.5));
        if (p.flag("passthrough")) {
            Word vRam = s.handle("vfio");
            long iovaRam = s.iova(ramSize);
            long now = s.tick();
            e.lock(qemu, now, false);
            e.vfioDmaMap(qemu, now, vRam, ram.addr(), iovaRam, ramSize, e.rw);
            e.unlock(qemu, now, false);
            Word vPmem = s.handle("vfio");
            long iovaPmem = s.iova(pmemSize);
            now = s.tick();
            e.lock(qemu, now, false);
            e.vfioDmaMap(qemu, now, vPmem, pmem.addr(), iovaPmem, pmemSize, e.rw);
            e.unlock(qemu, now, false);
            s.add(new DmaTraffic(s, qemu, vPmem, true, iovaPmem, pmemSize, p.number("dma-rate"), 0.7, 4096, 65536));
        }
        Housekeeping.add(s, p, pmem, fs);
    }
}
