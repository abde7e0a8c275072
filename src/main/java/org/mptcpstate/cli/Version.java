package org.mptcpstate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into version.properties at build time. */
final class Version {
    private Version() {}

    static String get() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    static String text() {
        return "mptcpstate " + get() + "\n"
                + "JVM: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + " "
                + System.getProperty("java.vm.name") + ")\n"
                + "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + "\n";
    }
}
