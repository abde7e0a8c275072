package org.mptcpstate.cli;

import org.mptcpstate.reconcile.ApplyJournal;
import org.mptcpstate.reconcile.RunningWatch;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.WarningCode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What /run/mptcpstate says about the namespace a command works on, as warnings: an apply that was killed
 * part-way (diff, apply and check say so), and a watch that keeps another file (apply says it will revert the
 * apply). Read on the thread that is in the namespace; silent when the directory is not readable (not root).
 */
final class RuntimeNotices {
    private RuntimeNotices() {}

    /** The journal of an apply killed part-way, if any. */
    static List<Diagnostic> interrupted() {
        String text = ApplyJournal.interrupted();
        return text == null ? List.of() : List.of(new Diagnostic(null, WarningCode.APPLY_INTERRUPTED, text, null));
    }

    /** For an apply of {@code file}: an apply killed part-way, and a watch of another file that will revert it. */
    static List<Diagnostic> forApply(String file) {
        List<Diagnostic> notices = new ArrayList<>(interrupted());
        RunningWatch.Info watch = RunningWatch.find();
        if (watch != null && (watch.file() == null || !sameFile(watch.file(), file))) {
            notices.add(new Diagnostic(
                    null,
                    WarningCode.WATCH_WILL_REVERT,
                    "a watch (pid " + watch.pid() + ") keeps "
                            + (watch.file() == null ? "another state file" : Printable.of(watch.file()))
                            + " applied in this network namespace: it will undo what this apply changes at its next"
                            + " step; change that file instead, or stop the watch",
                    null));
        }
        return notices;
    }

    /** The file as the journal and the watch name it: its absolute path, "-" for standard input. */
    static String shown(String file) {
        return "-".equals(file)
                ? file
                : Path.of(file).toAbsolutePath().normalize().toString();
    }

    private static boolean sameFile(String watched, String applied) {
        if ("-".equals(applied)) {
            return false;
        }
        try {
            return Path.of(watched).toRealPath().equals(Path.of(applied).toRealPath());
        } catch (IOException | RuntimeException e) {
            return Path.of(watched).equals(Path.of(shown(applied)));
        }
    }

    static void print(List<Diagnostic> notices, PrintStream err) {
        WarningOutput.text(notices, true, err);
    }
}
