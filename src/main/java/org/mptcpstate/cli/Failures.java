package org.mptcpstate.cli;

import org.mptcpstate.kernel.KernelException;
import org.mptcpstate.kernel.PermissionDeniedException;
import org.mptcpstate.reconcile.ApplyFailedException;
import org.mptcpstate.reconcile.ApplyInterruptedException;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.reconcile.RunningWatch;
import org.mptcpstate.reconcile.RuntimeDirectory;
import org.mptcpstate.state.InvalidStateException;

import java.io.UncheckedIOException;

/** The one place that maps what a command throws to its exit code and the one-line message a user sees. */
final class Failures {
    private Failures() {}

    /** A failure the commands raise on purpose, with the code it exits with. */
    static final class CommandFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final ExitCode exitCode;

        CommandFailure(ExitCode exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        ExitCode exitCode() {
            return exitCode;
        }
    }

    static ExitCode exitCode(Throwable failure) {
        if (failure instanceof CommandFailure f) {
            return f.exitCode();
        }
        if (failure instanceof ApplyInterruptedException e && e.restored()) {
            return "INT".equals(e.signal()) ? ExitCode.INTERRUPTED_SIGINT : ExitCode.INTERRUPTED_SIGTERM;
        }
        if (failure instanceof InvalidStateException) {
            return ExitCode.INVALID_INPUT;
        }
        if (failure instanceof PermissionDeniedException) {
            return ExitCode.PERMISSION;
        }
        if (failure instanceof ApplyFailedException e && e.permissionDenied() && e.restored()) {
            return ExitCode.PERMISSION; // e.g. root without CAP_NET_ADMIN: refused, and the namespace is as it was
        }
        return ExitCode.FAILED;
    }

    /** The one-line message a user sees on stderr, after "mptcpstate: ". */
    static String message(Throwable failure) {
        if (failure instanceof InvalidStateException) {
            // one line per problem, each FILE:LINE:COLUMN: message
            return failure.getMessage().replace("\n", "\n" + Main.PROGRAM + ": ");
        }
        if (failure instanceof CommandFailure
                || failure instanceof KernelException
                || failure instanceof ApplyFailedException
                || failure instanceof NamespaceLock.LockTimeoutException
                || failure instanceof RunningWatch.AlreadyWatchedException
                || failure instanceof RuntimeDirectory.UnsafeException) {
            return failure.getMessage();
        }
        if (failure instanceof UncheckedIOException e) {
            return e.getMessage() + ": " + e.getCause().getMessage();
        }
        return "internal error: " + failure;
    }
}
