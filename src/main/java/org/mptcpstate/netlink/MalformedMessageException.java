package org.mptcpstate.netlink;

/** Bytes from the kernel (or a test) that do not parse as the netlink message they claim to be. */
public final class MalformedMessageException extends NetlinkException {
    public MalformedMessageException(String message) {
        super(message);
    }
}
