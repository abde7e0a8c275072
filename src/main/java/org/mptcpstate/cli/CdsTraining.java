package org.mptcpstate.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Run once at package time under -XX:ArchiveClassesAtExit: exercises the start-up paths of the common
 * commands (read-only) so that their classes land in the class-data-sharing archive the launcher uses.
 * Failures are expected on build machines without MPTCP and do not matter; only loaded classes do.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        String[][] commandLines = {
            {"show"}, {"show", "--json"}, {"show", "no-such-interface"}, {"--help"}, {"help", "show"},
            {"--version"}, {"show", "--no-such-option"},
        };
        for (String[] commandLine : commandLines) {
            try {
                Main.run(commandLine, sink, sink);
            } catch (RuntimeException e) {
                // only the classes loaded on the way matter
            }
        }
    }
}
