package pinreplay.replay.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Releases as users type them and as {@code uname -r} prints them on real machines. */
class KernelReleaseTest {
    @Test
    void unameOfRealKernelsNamesTheirRelease() {
        assertEquals(new KernelRelease(6, 12, 117), KernelRelease.parse("6.12.117+deb13-amd64")); // Debian 13
        assertEquals(new KernelRelease(7, 2, 13), KernelRelease.parse("7.2.13+deb14-amd64"));
        assertEquals(new KernelRelease(6, 1, 0), KernelRelease.parse("6.1.0-50-amd64"));
        assertEquals(new KernelRelease(5, 10, 0), KernelRelease.parse("5.10.0-32-amd64"));
        assertEquals(new KernelRelease(6, 10, 0), KernelRelease.parse("6.10.0-rc3+"));
        assertEquals(new KernelRelease(5, 15, 167), KernelRelease.parse("5.15.167.4-microsoft-standard-WSL2"));
        assertEquals(new KernelRelease(6, 8, 0), KernelRelease.parse("6.8.0-49-generic"));
        assertEquals(new KernelRelease(6, 1, 0), KernelRelease.parse(" 6.1 "));
    }

    @Test
    void whatIsNoReleaseIsRefused() {
        for (String s : new String[] {"6", "6.x", "6.1.x", "6.1x", "v6.1", "", "6..1", "latest"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse(s), s);
            assertEquals("kernel release must look like X.Y or X.Y.Z, got '" + s + "'", e.getMessage());
        }
    }
}
