package pinreplay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each probe fetches its arguments where the recorded release's signature and kprobe syntax put them. */
class ProbeSetTest {
    private static String args(String release, String symbol) {
        return ProbeSet.choose(KernelOffer.everything(release)).probes().stream().filter(p -> p.symbol().equals(symbol))
                .findFirst().orElseThrow().args();
    }

    @Test
    void theRemoteVariantsTookATaskUntil59() {
        assertEquals("start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32", args("5.10.0-35-amd64", "get_user_pages_remote"));
        assertEquals("start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32", args("6.1.0-50-amd64", "pin_user_pages_remote"));
        assertEquals("start=$arg3:x64 nr_pages=$arg4:u64 gup_flags=$arg5:x32", args("5.4.0-150-generic", "get_user_pages_remote"));
        assertEquals("start=$arg3:x64 nr_pages=$arg4:u64 gup_flags=$arg5:x32", args("5.8.18", "pin_user_pages_remote"));
        assertEquals("start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg3:x32", args("5.4.0-150-generic", "get_user_pages"));
    }

    @Test
    void beforeArgNTheArgumentRegistersAreFetched() {
        assertEquals("start=%dx:x64 nr_pages=%cx:u64 gup_flags=%r8:x32", args("4.19.0-27-amd64", "get_user_pages_remote"));
        assertEquals("start=%di:x64 nr_pages=%si:s32 gup_flags=%dx:x32", args("4.19.0-27-amd64", "get_user_pages_fast"));
        assertEquals("resource=%si:u32 new=%dx:x64 cur=+0(%dx):u64 max=+8(%dx):u64", args("4.19.0-27-amd64", "do_prlimit"));
        assertEquals("start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32", args("4.20.0", "get_user_pages_fast"));
    }

    @Test
    void aReleaseWithoutANumberGetsTheNewestLayout() {
        assertEquals("start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32", args("unknown", "get_user_pages_remote"));
    }
}
