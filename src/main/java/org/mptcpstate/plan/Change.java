package org.mptcpstate.plan;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Printable;

import java.net.InetAddress;

/** One kernel write of a plan, in the words a reviewer reads. */
public sealed interface Change {
    /** One line for the plan listing, e.g. {@code + endpoint 192.0.2.2 on eth1 [signal, subflow]}. */
    String describe();

    /** net.mptcp.enabled. */
    record SetEnabled(boolean from, boolean to) implements Change {
        @Override
        public String describe() {
            return "~ mptcp enabled: " + from + " -> " + to;
        }
    }

    /** Limits to write; a null target leaves that limit unchanged. */
    record SetLimits(int subflowsFrom, Integer subflows, int addAddrAcceptedFrom, Integer addAddrAccepted)
            implements Change {
        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("~ limits:");
            if (subflows != null) {
                text.append(" subflows ").append(subflowsFrom).append(" -> ").append(subflows);
            }
            if (addAddrAccepted != null) {
                text.append(subflows != null ? "," : "")
                        .append(" add-addr-accepted ")
                        .append(addAddrAcceptedFrom)
                        .append(" -> ")
                        .append(addAddrAccepted);
            }
            return text.toString();
        }
    }

    /** Deletes a kernel endpoint; {@code interfaceName} is for the reader (null when unbound). */
    record RemoveEndpoint(KernelEndpoint endpoint, String interfaceName) implements Change {
        @Override
        public String describe() {
            return "- endpoint " + endpoint.id() + ": " + text(endpoint.address(), endpoint.port(), interfaceName) + " "
                    + endpoint.flags();
        }
    }

    /** Replaces backup/fullmesh in place: the id and live subflows stay. */
    record ChangeFlags(KernelEndpoint endpoint, EndpointFlags to, String interfaceName) implements Change {
        @Override
        public String describe() {
            return "~ endpoint " + endpoint.id() + ": " + text(endpoint.address(), endpoint.port(), interfaceName) + " "
                    + endpoint.flags() + " -> " + to;
        }
    }

    /** Adds an endpoint; the kernel picks its id. */
    record AddEndpoint(InetAddress address, int port, EndpointFlags flags, int interfaceIndex, String interfaceName)
            implements Change {
        @Override
        public String describe() {
            return "+ endpoint " + text(address, port, interfaceName) + " " + flags;
        }
    }

    private static String text(InetAddress address, int port, String interfaceName) {
        return IpAddresses.format(address)
                + (port == 0 ? "" : " port " + port)
                + (interfaceName == null ? "" : " on " + Printable.of(interfaceName));
    }
}
