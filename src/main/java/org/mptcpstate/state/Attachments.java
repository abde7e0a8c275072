package org.mptcpstate.state;

import org.mptcpstate.state.Snapshot.LinkAddress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which kernel endpoint belongs to which interface address. An endpoint without a port sits on the first
 * address equal to its own (on the interface it is bound to, when bound); every other endpoint (one with a
 * port, on an address no interface holds, bound elsewhere, or in IPv4-mapped form) is standalone. show and
 * plan both use this one rule, so what show prints under an address is what a state file manages there.
 */
public record Attachments(Map<LinkAddress, KernelEndpoint> byAddress, List<KernelEndpoint> standalone) {
    public static Attachments of(Snapshot snapshot) {
        Map<LinkAddress, KernelEndpoint> byAddress = new IdentityHashMap<>();
        List<KernelEndpoint> standalone = new ArrayList<>();
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            LinkAddress home = endpoint.port() == 0 ? homeOf(endpoint, snapshot.addresses(), byAddress) : null;
            if (home != null) {
                byAddress.put(home, endpoint);
            } else {
                standalone.add(endpoint);
            }
        }
        return new Attachments(Collections.unmodifiableMap(byAddress), List.copyOf(standalone));
    }

    private static LinkAddress homeOf(
            KernelEndpoint endpoint, List<LinkAddress> addresses, Map<LinkAddress, KernelEndpoint> taken) {
        for (LinkAddress address : addresses) {
            if (address.address().equals(endpoint.address())
                    && (endpoint.interfaceIndex() == 0 || endpoint.interfaceIndex() == address.interfaceIndex())
                    && !taken.containsKey(address)) {
                return address;
            }
        }
        return null;
    }
}
