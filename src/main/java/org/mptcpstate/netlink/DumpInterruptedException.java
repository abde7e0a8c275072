package org.mptcpstate.netlink;

/** A dump kept changing under us (NLM_F_DUMP_INTR) on every try. */
public final class DumpInterruptedException extends NetlinkException {
    public DumpInterruptedException(String message) {
        super(message);
    }
}
