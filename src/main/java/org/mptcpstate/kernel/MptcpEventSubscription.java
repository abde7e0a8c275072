package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.netlink.SystemCallException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A member of the {@code mptcp_pm_events} multicast group in the calling thread's network namespace: a generic
 * netlink socket that joined the group (which needs CAP_NET_ADMIN), and an rtnetlink socket for turning
 * interface indexes into names (a link dump, redone when an index is not known yet). One thread only.
 */
public final class MptcpEventSubscription implements AutoCloseable {
    private final NetlinkSocket events;
    private final NetlinkSocket route;
    private final GenericNetlink.Family family;
    private final Map<Integer, String> linkNames = new HashMap<>();

    private MptcpEventSubscription(NetlinkSocket events, NetlinkSocket route, GenericNetlink.Family family) {
        this.events = events;
        this.route = route;
        this.family = family;
    }

    /** Resolves mptcp_pm and its events group through the controller and joins the group. */
    public static MptcpEventSubscription open() {
        try {
            return subscribe();
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("subscribing to MPTCP events", e);
        }
    }

    private static MptcpEventSubscription subscribe() {
        NetlinkSocket events = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC);
        NetlinkSocket route = null;
        try {
            GenericNetlink.Family family;
            try {
                family = GenericNetlink.resolve(events, MptcpPm.FAMILY);
            } catch (KernelErrorException e) {
                if (e.errno() == Errno.ENOENT) {
                    throw new MptcpUnsupportedException("the kernel has no mptcp_pm generic netlink family:"
                            + " it was built without MPTCP (CONFIG_MPTCP)");
                }
                throw e;
            }
            Integer group = family.multicastGroups().get(MptcpPm.EVENTS_GROUP);
            if (group == null) {
                throw new MptcpUnsupportedException(
                        "the kernel's mptcp_pm family has no " + MptcpPm.EVENTS_GROUP + " multicast group");
            }
            try {
                events.joinGroup(group);
            } catch (SystemCallException e) {
                if (Errno.isPermission(e.errno())) {
                    throw new PermissionDeniedException(
                            "joining the " + MptcpPm.EVENTS_GROUP + " multicast group needs root or CAP_NET_ADMIN", e);
                }
                throw e;
            }
            route = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
            MptcpEventSubscription subscription = new MptcpEventSubscription(events, route, family);
            subscription.refreshLinks();
            return subscription;
        } catch (RuntimeException e) {
            events.close();
            if (route != null) {
                route.close();
            }
            throw e;
        }
    }

    /**
     * Blocks until the next datagram and returns its events (usually one), with interface names resolved.
     * Throws {@link EventsLostException} when the kernel dropped events because they were not read fast enough;
     * the subscription stays usable.
     */
    public List<MptcpEvent> next() {
        try {
            return receive();
        } catch (SystemCallException e) {
            if (e.errno() == Errno.ENOBUFS) {
                throw new EventsLostException(
                        "events were lost: the kernel dropped them because they came faster" + " than they were read",
                        e);
            }
            throw NetlinkFailures.translate("reading MPTCP events", e);
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading MPTCP events", e);
        }
    }

    private List<MptcpEvent> receive() {
        List<MptcpEvent> out = new ArrayList<>(1);
        for (NetlinkMessage message : events.receive()) {
            if (message.type() != family.id()) {
                continue; // NOOP, or a stray message
            }
            for (GenericNetlink.Message event : GenericNetlink.messages(List.of(message))) {
                MptcpEvent decoded = MptcpEventDecoder.decode(event);
                if (decoded.interfaceIndex() != null && decoded.interfaceIndex() > 0) {
                    decoded = decoded.withInterfaceName(linkName(decoded.interfaceIndex()));
                }
                out.add(decoded);
            }
        }
        return out;
    }

    private String linkName(int index) {
        String name = linkNames.get(index);
        if (name == null) {
            refreshLinks();
            name = linkNames.get(index);
        }
        return name;
    }

    private void refreshLinks() {
        linkNames.clear();
        for (RtNetlink.Link link : RtNetlink.dumpLinks(route)) {
            linkNames.put(link.index(), link.name());
        }
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            route.close();
        }
    }
}
