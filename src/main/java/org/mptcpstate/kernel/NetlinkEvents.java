package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.netlink.SystemCallException;
import org.mptcpstate.netlink.Wakeup;

import java.util.List;

/**
 * The rtnetlink events that can change what the planner decides: links (group 1: an interface appears, goes or
 * is renamed) and IPv4/IPv6 addresses (groups 5 and 9: added, removed, DAD finished). Route groups (7, 11) are
 * not joined: the planner reads default routes for {@code show} only, endpoints never depend on them.
 * One socket, opened in the calling thread's namespace; an eventfd wakes a waiting thread from outside.
 */
public final class NetlinkEvents implements KernelEvents {
    static final int RTNLGRP_LINK = 1;
    static final int RTNLGRP_IPV4_IFADDR = 5;
    static final int RTNLGRP_IPV6_IFADDR = 9;

    private final NetlinkSocket socket;
    private final Wakeup wakeup;

    private NetlinkEvents(NetlinkSocket socket, Wakeup wakeup) {
        this.socket = socket;
        this.wakeup = wakeup;
    }

    public static NetlinkEvents open() {
        try {
            NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
            try {
                socket.joinGroup(RTNLGRP_LINK);
                socket.joinGroup(RTNLGRP_IPV4_IFADDR);
                socket.joinGroup(RTNLGRP_IPV6_IFADDR);
                return new NetlinkEvents(socket, Wakeup.open());
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("listening to address and link events", e);
        }
    }

    @Override
    public Wait await(long timeoutMillis) {
        try {
            return awaitEvents(timeoutMillis);
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading address and link events", e);
        }
    }

    private Wait awaitEvents(long timeoutMillis) {
        NetlinkSocket.Readiness readiness = socket.await(timeoutMillis, wakeup);
        if (readiness == NetlinkSocket.Readiness.WOKEN) {
            return Wait.WOKEN;
        }
        if (readiness == NetlinkSocket.Readiness.TIMEOUT) {
            return Wait.TIMEOUT;
        }
        boolean relevant = false;
        try {
            while (true) {
                List<NetlinkMessage> messages = socket.receive(0);
                if (messages.isEmpty()) {
                    break;
                }
                for (NetlinkMessage message : messages) {
                    relevant |= relevant(message.type());
                }
            }
        } catch (SystemCallException e) {
            if (e.errno() == Errno.ENOBUFS) {
                return Wait.LOST;
            }
            throw e;
        }
        return relevant ? Wait.CHANGED : Wait.TIMEOUT;
    }

    private static boolean relevant(int type) {
        return type == RtNetlink.RTM_NEWADDR
                || type == RtNetlink.RTM_DELADDR
                || type == RtNetlink.RTM_NEWLINK
                || type == RtNetlink.RTM_DELLINK;
    }

    @Override
    public void wakeUp() {
        wakeup.signal();
    }

    @Override
    public void close() {
        socket.close();
        wakeup.close();
    }
}
