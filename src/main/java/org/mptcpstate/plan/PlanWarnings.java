package org.mptcpstate.plan;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Ineligibility;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.Position;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.WarningCode;

import java.util.List;

/** The planner's warnings, each with its code: what they say, in one place; and the address checks that make them. */
final class PlanWarnings {
    private PlanWarnings() {}

    /**
     * Whether flags may be configured on this address; adds a warning that explains when not, or when it is not
     * ready.
     */
    static boolean eligible(
            DesiredState.Interface iface,
            LinkAddress address,
            boolean explicit,
            EndpointFlags wanted,
            Position where,
            List<Diagnostic> warnings) {
        Ineligibility reason = Ineligibility.of(address.address());
        if (wanted.isEmpty() && (explicit || reason == null)) {
            return true; // removing an endpoint is always allowed where the file asks for none
        }
        if (reason != null && !(explicit && reason == Ineligibility.UNIQUE_LOCAL)) {
            if (!wanted.isEmpty()) {
                warnings.add(ineligible(where, iface.name(), text(iface, address), reason));
            }
            return false;
        }
        if (address.has(LinkAddress.DADFAILED)) {
            warnings.add(dadFailed(where, iface.name(), text(iface, address)));
            return false;
        }
        if (address.has(LinkAddress.TENTATIVE) && !wanted.isEmpty()) {
            warnings.add(tentative(where, iface.name(), text(iface, address)));
        }
        return true;
    }

    /**
     * "eth1 192.0.2.1", made only for a warning: most addresses get none, and watch plans at every address
     * event (formatting each address of the interface showed in its profile).
     */
    private static String text(DesiredState.Interface iface, LinkAddress address) {
        return iface.name() + " " + IpAddresses.format(address.address());
    }

    /** An mptcp.endpoints entry on a link-local address: skipped, as interface addresses are. */
    static Diagnostic linkLocalEndpoint(Position where, String address) {
        return new Diagnostic(
                where,
                WarningCode.ENDPOINT_LINK_LOCAL,
                "skipping endpoint " + address + ": link-local addresses get no MPTCP endpoint (an existing one is"
                        + " left as it is)",
                null);
    }

    static Diagnostic typeMismatch(DesiredState.Interface iface, Link link) {
        return new Diagnostic(
                iface.position(),
                WarningCode.TYPE_MISMATCH,
                "interface " + iface.name() + " is of type " + link.type() + ", not " + iface.type(),
                iface.name());
    }

    static Diagnostic stateMismatch(DesiredState.Interface iface, Link link) {
        return new Diagnostic(
                iface.position(),
                WarningCode.STATE_MISMATCH,
                "interface " + iface.name() + " is " + (link.up() ? "up" : "down") + ", the file says " + iface.state()
                        + "; mptcpstate does not change links",
                iface.name());
    }

    /** An address that gets no endpoint for what it is (link-local, loopback, ...). */
    static Diagnostic ineligible(Position where, String interfaceName, String text, Ineligibility reason) {
        WarningCode code = switch (reason) {
            case LINK_LOCAL -> WarningCode.LINK_LOCAL_SKIPPED;
            case LOOPBACK -> WarningCode.LOOPBACK_SKIPPED;
            case UNIQUE_LOCAL -> WarningCode.UNIQUE_LOCAL_SKIPPED;
            case MULTICAST -> WarningCode.MULTICAST_SKIPPED;
        };
        return new Diagnostic(
                where,
                code,
                "skipping " + text + ": " + reason.yamlName() + " addresses get no MPTCP endpoint"
                        + (reason == Ineligibility.UNIQUE_LOCAL ? " unless the address lists its own mptcp-flags" : ""),
                interfaceName);
    }

    static Diagnostic dadFailed(Position where, String interfaceName, String text) {
        return new Diagnostic(
                where,
                WarningCode.DAD_FAILED,
                "skipping " + text + ": duplicate address detection failed",
                interfaceName);
    }

    static Diagnostic tentative(Position where, String interfaceName, String text) {
        return new Diagnostic(
                where,
                WarningCode.ADDRESS_TENTATIVE,
                text + " is tentative (duplicate address detection running): subflows can use it once it completes",
                interfaceName);
    }

    static Diagnostic dynamicAddressGone(DesiredState.Address address, String interfaceName, String text) {
        return new Diagnostic(
                address.position(),
                WarningCode.DYNAMIC_ADDRESS_GONE,
                "skipping " + interfaceName + " " + text
                        + ": a dynamic address (the file gives it a lifetime) that is no longer on the interface",
                interfaceName);
    }

    static Diagnostic absentLinkKept(DesiredState.Interface iface, int removed) {
        return new Diagnostic(
                iface.position(),
                WarningCode.ABSENT_LINK_KEPT,
                "interface " + iface.name() + " is absent in the file but exists: "
                        + (removed == 0
                                ? "it has no MPTCP endpoint"
                                : removed == 1 ? "its MPTCP endpoint is removed" : "its MPTCP endpoints are removed")
                        + "; mptcpstate does not delete links",
                iface.name());
    }

    static Diagnostic ignoredInterface(DesiredState.Interface iface) {
        return new Diagnostic(
                iface.position(),
                WarningCode.IGNORED_INTERFACE,
                "interface " + iface.name() + " has state: ignore: mptcpstate leaves its endpoints alone and"
                        + " does not apply its MPTCP settings",
                iface.name());
    }

    static Diagnostic ignoredEndpoint(Position where, String text, String interfaceName) {
        return new Diagnostic(
                where,
                WarningCode.IGNORED_INTERFACE,
                "endpoint " + text + " belongs to interface " + interfaceName
                        + ", which has state: ignore: left as the kernel has it",
                interfaceName);
    }

    static Diagnostic notALink(DesiredState.Interface iface) {
        return new Diagnostic(
                iface.position(),
                WarningCode.NOT_A_LINK,
                "interface " + iface.name() + " of type " + iface.type() + " is no kernel link: its MPTCP settings"
                        + " are not applied (give them under the entry of the link, such as its ovs-interface)",
                iface.name());
    }

    static Diagnostic pathManager(String pathManager) {
        return new Diagnostic(
                null,
                WarningCode.PATH_MANAGER,
                "net.mptcp.path_manager is " + pathManager + ": the kernel ignores endpoints until it is set to kernel",
                null);
    }

    static Diagnostic mptcpDisabled(Position where) {
        return new Diagnostic(
                where,
                WarningCode.MPTCP_DISABLED,
                "MPTCP is disabled (net.mptcp.enabled = 0): new connections will not use it",
                null);
    }
}
