package org.mptcpstate.check;

import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot.Link;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@link CheckFacts} of the calling thread's network namespace: rp_filter from /proc/sys/net/ipv4/conf
 * (which shows the reading thread's namespace, so call it on the thread that entered the namespace, with a route
 * socket opened there), the kernel's route lookup from each subflow endpoint's address, and which interfaces have
 * routes. Runs no program.
 */
public final class FactsReader {
    static final Path IPV4_CONF = Path.of("/proc/sys/net/ipv4/conf");
    private static final int RTN_UNICAST = 1;
    private static final int RT_TABLE_LOCAL = 255;

    private FactsReader() {
    }

    public static CheckFacts read(NetlinkSocket route, Snapshot snapshot) {
        Map<Integer, String> names = new HashMap<>();
        for (Link link : snapshot.links()) {
            names.put(link.index(), link.name());
        }
        Map<String, Integer> rpFilter = new HashMap<>();
        Map<InetAddress, CheckFacts.Lookup> lookups = new HashMap<>();
        InetAddress probe4 = Checker.probeFor(snapshot, true);
        InetAddress probe6 = Checker.probeFor(snapshot, false);
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            int index = Checker.interfaceOf(snapshot, endpoint);
            String name = names.get(index);
            if (name != null && !rpFilter.containsKey(name)) {
                int value = readInt(IPV4_CONF.resolve(name).resolve("rp_filter"));
                if (value >= 0) {
                    rpFilter.put(name, value);
                }
            }
            InetAddress probe = endpoint.address() instanceof Inet4Address ? probe4 : probe6;
            if (index == 0 || probe == null || !endpoint.flags().has(MptcpFlag.SUBFLOW)
                    || Checker.homeOf(snapshot, endpoint) == null) {
                continue;
            }
            try {
                RtNetlink.Route found = RtNetlink.lookupRoute(route, endpoint.address(), probe);
                int output = found.outputInterfaces().isEmpty() ? 0 : found.outputInterfaces().get(0);
                lookups.put(endpoint.address(), new CheckFacts.Lookup(probe, output, null));
            } catch (KernelErrorException e) {
                lookups.put(endpoint.address(), new CheckFacts.Lookup(probe, 0, e.getMessage()));
            }
        }
        Set<Integer> routed4 = new HashSet<>();
        Set<Integer> routed6 = new HashSet<>();
        for (RtNetlink.Route r : RtNetlink.dumpAllRoutes(route)) {
            if (r.type() == RTN_UNICAST && r.table() != RT_TABLE_LOCAL) {
                (r.family() == RtNetlink.AF_INET ? routed4 : routed6).addAll(r.outputInterfaces());
            }
        }
        return new CheckFacts(readInt(IPV4_CONF.resolve("all").resolve("rp_filter")), rpFilter, lookups, routed4,
                routed6);
    }

    /** A /proc/sys integer, or -1 when the file is missing or unreadable. */
    private static int readInt(Path file) {
        try {
            return Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
