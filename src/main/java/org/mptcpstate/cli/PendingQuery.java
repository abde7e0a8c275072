package org.mptcpstate.cli;

import org.mptcpstate.state.Snapshot;

/**
 * The kernel read of a command that also loads a state file, started before the file is loaded so that the two
 * overlap. Reading changes nothing, so a read whose file turns out invalid is simply dropped; its failure, if
 * any, is thrown by {@link #get()}, after the file's own problems have had their say.
 */
final class PendingQuery implements Runnable {
    private final ParsedArguments arguments;
    private final Thread thread;
    private volatile Snapshot result;
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
            result = NamespaceOption.query(arguments);
        } catch (Exception e) {
            failure = e;
        }
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
