package pinreplay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** Reports the build's version and the commit it was built from. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties p = properties();
        String commit = p.getProperty("commit", "");
        if (commit.isEmpty() || commit.startsWith("${")) {
            commit = "unknown";
        } else if ("true".equals(p.getProperty("dirty"))) {
            commit += "-dirty";
        }
        return new String[] {
                "pinreplay " + p.getProperty("version", "unknown") + " (commit " + commit + ")",
                "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name"),
        };
    }

    /** {@code pinreplay VERSION}, as recorded in the queues this build writes. */
    static String creator() {
        return "pinreplay " + properties().getProperty("version", "unknown");
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
