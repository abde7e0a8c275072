package org.mptcpstate.plan;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.util.HashMap;
import java.util.Map;

/**
 * The links a state file says to ignore ({@code state: ignore}, as nmstatectl show prints interfaces that
 * NetworkManager does not manage) and the endpoints that belong to them: bound to such a link, or on one of its
 * addresses. The planner leaves those endpoints alone, whatever else the file says.
 */
final class IgnoredLinks {
    private final Map<Integer, String> names;
    private final Snapshot current;

    private IgnoredLinks(Map<Integer, String> names, Snapshot current) {
        this.names = names;
        this.current = current;
    }

    static IgnoredLinks of(DesiredState desired, Snapshot current, Map<String, Link> linksByName) {
        Map<Integer, String> names = new HashMap<>();
        for (DesiredState.Interface iface : desired.interfaces()) {
            Link link = linksByName.get(iface.name());
            if (iface.ignored() && link != null && InterfaceTypes.isLink(iface.type())) {
                names.put(link.index(), link.name());
            }
        }
        return new IgnoredLinks(names, current);
    }

    boolean contains(Link link) {
        return names.containsKey(link.index());
    }

    /** The ignored interface an endpoint belongs to, or null. */
    String owner(KernelEndpoint endpoint) {
        if (names.isEmpty()) {
            return null;
        }
        String name = names.get(endpoint.interfaceIndex());
        if (name != null) {
            return name;
        }
        for (LinkAddress address : current.addresses()) {
            if (address.address().equals(endpoint.address())) {
                name = names.get(address.interfaceIndex());
                if (name != null) {
                    return name;
                }
            }
        }
        return null;
    }
}
