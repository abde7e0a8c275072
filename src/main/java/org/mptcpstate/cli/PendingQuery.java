package org.mptcpstate.cli;

import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Snapshot;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The kernel read of a command that also loads a state file, started before the file is loaded so that the two
 * overlap. Reading changes nothing, so a read whose file turns out invalid is simply dropped; its failure, if
 * any, is thrown by {@link #get()}, after the file's own problems have had their say.
 */
final class PendingQuery implements Runnable {
    private final ParsedArguments arguments;
    private final Thread thread;
    private volatile Snapshot result;
    private volatile List<Diagnostic> notices = List.of();
    private volatile Exception failure;

    private PendingQuery(ParsedArguments arguments) {
        this.arguments = arguments;
        this.thread = new Thread(this, "kernel read");
        thread.setDaemon(true);
    }

    static PendingQuery start(ParsedArguments arguments) {
        PendingQuery query = new PendingQuery(arguments);
        query.thread.start();
        return query;
    }

    @Override
    public void run() {
        try {
            NamespaceOption.call(arguments, new Read(this));
        } catch (Exception e) {
            failure = e;
        }
    }

    /** The kernel's state and, from the same namespace, the journal of an apply killed part-way. */
    private static final class Read implements Callable<Void> {
        private final PendingQuery query;

        Read(PendingQuery query) {
            this.query = query;
        }

        @Override
        public Void call() {
            try (NetlinkKernel kernel = NetlinkKernel.open()) {
                query.result = kernel.query();
            }
            query.notices = RuntimeNotices.interrupted();
            return null;
        }
    }

    /** Warnings about the namespace from /run/mptcpstate (an apply killed part-way); after {@link #get()}. */
    List<Diagnostic> notices() {
        return notices;
    }

    /** The snapshot, once read; rethrows what the read threw. */
    Snapshot get() throws Exception {
        thread.join();
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
