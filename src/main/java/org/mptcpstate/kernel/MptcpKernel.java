package org.mptcpstate.kernel;

import org.mptcpstate.state.Snapshot;

/**
 * The port the rest of mptcpstate talks to the kernel through, for one network namespace. Implemented over
 * netlink ({@link NetlinkKernel}) and in memory for tests.
 */
public interface MptcpKernel extends AutoCloseable {
    /** Reads everything at once: sysctls, limits, endpoints, links, addresses and default routes. */
    Snapshot query();

    @Override
    void close();
}
