package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.netlink.SystemCallException;
import org.mptcpstate.netlink.Wakeup;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink events that can change what the planner decides: links (group 1: an interface appears, goes or
 * is renamed) and IPv4/IPv6 addresses (groups 5 and 9: added, removed, DAD finished). Route groups (7, 11) are
 * not joined: the planner reads default routes for {@code show} only, endpoints never depend on them.
 * One socket, opened in the calling thread's namespace; an eventfd wakes a waiting thread from outside. The
 * events are decoded as they are read ({@link #takeChanges()}), so that a watch can keep its snapshot current
 * without reading the namespace again.
 */
public final class NetlinkEvents implements KernelEvents {
    static final int RTNLGRP_LINK = 1;
    static final int RTNLGRP_IPV4_IFADDR = 5;
    static final int RTNLGRP_IPV6_IFADDR = 9;

    /**
     * Bytes of queued events before the kernel drops them (it doubles the value, and charges about 0.7 KiB per
     * event). Not more: everything queued is read before the next step, so after a storm the backlog is what
     * delays it; beyond this the kernel drops events, and a fresh socket and a full read are faster (measured:
     * 8 MiB left backlogs of 0.1 to 0.8 s after a storm of 35,000 events/s).
     */
    static final int RECEIVE_BUFFER = 512 * 1024;

    private NetlinkSocket socket;
    private final Wakeup wakeup;
    /** The events decoded since the last {@link #takeChanges()}; null once one was lost or could not be decoded. */
    private List<NetworkChange> changes = new ArrayList<>();
    /** Whether the last read emptied the queue: the next event comes after a quiet time. */
    private boolean drained = true;

    private NetlinkEvents(NetlinkSocket socket, Wakeup wakeup) {
        this.socket = socket;
        this.wakeup = wakeup;
    }

    /** Subscribes; and, as the process will react to events for a long time, binds its system calls directly. */
    public static NetlinkEvents open() {
        try {
            NetlinkSocket.bindForLongRunning();
            NetlinkSocket socket = subscribe();
            try {
                return new NetlinkEvents(socket, Wakeup.open());
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("listening to address and link events", e);
        }
    }

    private static NetlinkSocket subscribe() {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        try {
            socket.joinGroup(RTNLGRP_LINK);
            socket.joinGroup(RTNLGRP_IPV4_IFADDR);
            socket.joinGroup(RTNLGRP_IPV6_IFADDR);
            socket.receiveBuffer(RECEIVE_BUFFER);
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
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
                    drained = true;
                    break;
                }
                for (NetlinkMessage message : messages) {
                    if (relevant(message.type())) {
                        relevant = true;
                        decode(message);
                    }
                }
                if (relevant && drained) {
                    // the first event after a quiet time (the queue was empty): acted on at once, without the
                    // read that would find the queue empty again; anything behind it is read by the next wait
                    drained = false;
                    break;
                }
            }
        } catch (SystemCallException e) {
            if (e.errno() == Errno.ENOBUFS) {
                resubscribe();
                return Wait.LOST;
            }
            throw e;
        }
        return relevant ? Wait.CHANGED : Wait.TIMEOUT;
    }

    /**
     * After ENOBUFS: what is still queued is older than what the kernel dropped. Applied after the full read that
     * follows, an old RTM_NEWADDR would bring back an address whose RTM_DELADDR was lost (seen in storms: an
     * endpoint for an absent address until the next resync). A new socket starts empty, and everything it
     * receives is newer than its subscription, hence than the full read.
     */
    private void resubscribe() {
        changes = null;
        drained = true;
        NetlinkSocket fresh = subscribe();
        socket.close();
        socket = fresh;
    }

    private void decode(NetlinkMessage message) {
        if (changes == null) {
            return;
        }
        try {
            switch (message.type()) {
                case RtNetlink.RTM_NEWADDR, RtNetlink.RTM_DELADDR -> {
                    LinkAddress address = NetlinkKernel.address(RtNetlink.parseAddress(message));
                    if (address != null) {
                        changes.add(
                                message.type() == RtNetlink.RTM_NEWADDR
                                        ? new NetworkChange.AddressAdded(address)
                                        : new NetworkChange.AddressRemoved(address));
                    }
                }
                default -> {
                    // link messages of other families (AF_BRIDGE: a port joins or leaves a bridge) are no
                    // change of the link itself
                    if (message.payload().get(message.payload().position()) != RtNetlink.AF_UNSPEC) {
                        return;
                    }
                    RtNetlink.Link link = RtNetlink.parseLink(message);
                    changes.add(
                            message.type() == RtNetlink.RTM_NEWLINK
                                    ? new NetworkChange.LinkChanged(NetlinkKernel.link(link))
                                    : new NetworkChange.LinkRemoved(link.index()));
                }
            }
        } catch (RuntimeException e) {
            changes = null; // not understood: the next step reads the namespace in full
        }
    }

    @Override
    public boolean idle() {
        try {
            NetlinkSocket.Readiness readiness = socket.await(0, wakeup);
            if (readiness == NetlinkSocket.Readiness.WOKEN) {
                wakeup.signal(); // consumed by the look: given back for the next wait
            }
            return readiness == NetlinkSocket.Readiness.TIMEOUT;
        } catch (NetlinkException e) {
            return false; // the next wait reports it
        }
    }

    @Override
    public List<NetworkChange> takeChanges() {
        List<NetworkChange> taken = changes;
        changes = new ArrayList<>();
        return taken;
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
