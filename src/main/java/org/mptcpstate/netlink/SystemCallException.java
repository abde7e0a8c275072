package org.mptcpstate.netlink;

/** A libc call failed: names the call and carries its errno. */
public final class SystemCallException extends NetlinkException {
    private final int errno;

    public SystemCallException(String call, int errno) {
        super(call + " failed: " + Errno.describeWithName(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
