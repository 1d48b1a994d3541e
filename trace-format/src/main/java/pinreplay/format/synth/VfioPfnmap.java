package pinreplay.format.synth;

/**
 * Seed 003: vfio maps another device's BAR (an mmap with VM_PFNMAP|VM_IO) for peer-to-peer DMA.
 * Before ~5.8 the BAR had to be faulted in already; from then {@code follow_fault_pfn()} faults it.
 * No page is pinned, so unmapping the BAR leaves the IOMMU mapping live.
 */
final class VfioPfnmap implements Scenario {
    @Override
    public String name() {
        return "vfio-pfnmap";
    }

    @Override
    public String description() {
        return "QEMU mmaps device A's BAR (VM_PFNMAP|VM_IO; populate=1 when the driver maps it at mmap time) and"
                + " maps it through vfio for device B's peer-to-peer DMA. Before follow_fault_pfn() (~5.8) an"
                + " unpopulated BAR fails with -EFAULT; after it, the map faults the BAR in. unmap-bar=1 unmaps the"
                + " BAR while the IOMMU mapping lives on (no pin holds anything).";
    }

    @Override
    public Params params() {
        return new Params(name())
                .value("bar-size", "16M", "BAR size")
                .word("populate", "0", "the BAR's PTEs exist at mmap time", "0", "1")
                .word("unmap-bar", "0", "munmap the BAR while the IOMMU mapping lives", "0", "1")
                .value("unmap-after", "0.5", "seconds after start to unmap the BAR")
                .value("ram", "1G", "anonymous guest RAM, also mapped for the device")
                .value("dma-rate", "1000", "peer-to-peer DMA operations per second");
    }

    @Override
    public void setup(Synth s, Params p) {
        Emitter e = s.emit;
        Task qemu = s.process("qemu-system-x86");
        long ram = Synth.align(p.size("ram"), Synth.HUGE);
        long bar = Synth.align(p.size("bar-size"), Synth.PAGE);
        Mapping guest = Backing.map(s, qemu, "anon", true, ram);
        Word vRam = s.handle("vfio");
        e.vfioDmaMap(qemu, s.tick(), vRam, guest.addr(), s.iova(ram), ram, e.rw);
        long barAddr = s.addr(bar);
        e.mmap(qemu, s.tick(), barAddr, bar, e.rw, e.shared, -1, 0, false, true, p.flag("populate"));
        Word p2p = s.handle("p2p");
        long iova = s.iova(bar);
        e.vfioDmaMap(qemu, s.tick(), p2p, barAddr, iova, bar, e.rw);
        s.add(new DmaTraffic(s, qemu, p2p, true, iova, bar, p.number("dma-rate"), 0.5, 4096, 65536));
        if (p.flag("unmap-bar")) {
            long at = Math.round(p.number("unmap-after") * 1e6) * 1_000L;
            s.add(new Once(at, (sy, t) -> {
                sy.emit.lock(qemu, t, true);
                sy.emit.munmap(qemu, t, barAddr, bar);
                sy.emit.unlock(qemu, t, true);
            }));
        }
    }
}
