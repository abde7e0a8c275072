package org.mptcpstate.cli;

import org.mptcpstate.kernel.MptcpUnsupportedException;
import org.mptcpstate.reconcile.ApplyFailedException;
import org.mptcpstate.reconcile.ApplyInterruptedException;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.kernel.PermissionDeniedException;
import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetworkNamespace;
import org.mptcpstate.netlink.SystemCallException;

import java.io.UncheckedIOException;

/** Every exit code mptcpstate uses, and the one place that maps a failure to its code and message. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Failed (after an apply: and rolled back). */
    public static final int FAILED = 1;
    /** diff: changes are pending. */
    public static final int CHANGES_PENDING = 2;
    /** Bad command line (sysexits EX_USAGE). */
    public static final int USAGE = 64;
    /** Bad state file (sysexits EX_DATAERR). */
    public static final int INVALID_INPUT = 65;
    /** Not allowed: root or CAP_NET_ADMIN needed (sysexits EX_NOPERM). */
    public static final int PERMISSION = 77;
    /** apply stopped by SIGINT and rolled back (128 + 2, as a shell reports a SIGINT death). */
    public static final int INTERRUPTED_SIGINT = 130;
    /** apply stopped by SIGTERM and rolled back (128 + 15). */
    public static final int INTERRUPTED_SIGTERM = 143;

    private ExitCodes() {
    }

    /** A failure the commands raise on purpose, with the code it exits with. */
    public static final class CommandFailure extends RuntimeException {
        private final int exitCode;

        public CommandFailure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public static int of(Throwable failure) {
        if (failure instanceof CommandFailure f) {
            return f.exitCode();
        }
        if (failure instanceof ApplyInterruptedException e && e.restored()) {
            return "INT".equals(e.signal()) ? INTERRUPTED_SIGINT : INTERRUPTED_SIGTERM;
        }
        if (failure instanceof InvalidStateException) {
            return INVALID_INPUT;
        }
        if (failure instanceof PermissionDeniedException) {
            return PERMISSION;
        }
        if (failure instanceof ApplyFailedException e && e.permissionDenied() && e.restored()) {
            return PERMISSION; // e.g. root without CAP_NET_ADMIN: refused, and the namespace is as it was
        }
        if (failure instanceof SystemCallException e && Errno.isPermission(e.errno())) {
            return PERMISSION;
        }
        return FAILED;
    }

    /** The one-line message a user sees on stderr, after "mptcpstate: ". */
    public static String message(Throwable failure) {
        if (failure instanceof SystemCallException e && Errno.isPermission(e.errno())
                && e.getMessage().startsWith("setns")) {
            return e.getMessage() + ": entering another network namespace needs root (CAP_SYS_ADMIN)";
        }
        if (failure instanceof InvalidStateException) {
            // one line per problem, each FILE:LINE:COLUMN: message
            return failure.getMessage().replace("\n", "\n" + Main.PROGRAM + ": ");
        }
        if (failure instanceof CommandFailure || failure instanceof PermissionDeniedException
                || failure instanceof ApplyFailedException || failure instanceof NamespaceLock.LockTimeoutException
                || failure instanceof MptcpUnsupportedException || failure instanceof NetlinkException
                || failure instanceof NetworkNamespace.NamespaceNotFoundException) {
            return failure.getMessage();
        }
        if (failure instanceof UncheckedIOException e) {
            return e.getMessage() + ": " + e.getCause().getMessage();
        }
        return "internal error: " + failure;
    }
}
