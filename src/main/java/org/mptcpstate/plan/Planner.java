package org.mptcpstate.plan;

import org.mptcpstate.state.Attachments;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointAddresses;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Ineligibility;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Position;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the plan from a desired state and the kernel's current one. Pure: no I/O, same answer for the
 * same input. Problems that make the file inapplicable to this namespace (an interface or address that is
 * not there, more than 8 endpoints as a result) are thrown together as {@link InvalidStateException}.
 *
 * <p>Changes come in the order enable, limits, removals, in-place flag changes, additions, so that the
 * kernel's 8-endpoint cap is never hit part-way.
 *
 * <p>Interface states: {@code absent} removes the endpoints bound to the interface or on its addresses (the link
 * is not deleted: a warning says so; an absent interface that does not exist is fine); {@code ignore} leaves the
 * interface's endpoints (bound to it or on its addresses) alone, whatever else the file says; an entry that is
 * no kernel link (ovs-bridge, ipsec) plans nothing.
 */
public final class Planner {
    private final DesiredState desired;
    private final Snapshot current;
    private final Attachments attachments;
    private final Map<String, Link> linksByName = new HashMap<>();
    private final Map<Integer, Link> linksByIndex = new HashMap<>();
    /** Each link's addresses in the kernel's order: one pass, so that planning n interfaces is not n^2. */
    private final Map<Integer, List<LinkAddress>> addressesByIndex;
    /** The links the file says to ignore: their endpoints are left alone. */
    private final IgnoredLinks ignored;

    private final List<Diagnostic> problems = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final List<Change> removals = new ArrayList<>();
    private final Set<Integer> removedIds = new HashSet<>();
    private final List<Change> flagChanges = new ArrayList<>();
    private final List<Change> additions = new ArrayList<>();

    private Planner(DesiredState desired, Snapshot current) {
        this.desired = desired;
        this.current = current;
        this.attachments = Attachments.of(current);
        this.addressesByIndex = current.addressesByInterface();
        for (Link link : current.links()) {
            linksByName.put(link.name(), link);
            linksByIndex.put(link.index(), link);
        }
        this.ignored = IgnoredLinks.of(desired, current, linksByName);
    }

    public static Plan plan(DesiredState desired, Snapshot current) {
        return new Planner(desired, current).build();
    }

    private Plan build() {
        List<Change> changes = new ArrayList<>();
        DesiredState.Mptcp mptcp = desired.mptcp();
        if (mptcp != null) {
            if (mptcp.enabled() != null && mptcp.enabled() != current.sysctls().enabled()) {
                changes.add(new Change.SetEnabled(current.sysctls().enabled(), mptcp.enabled()));
            }
            Integer subflows = differs(mptcp.subflows(), current.limits().subflows());
            Integer accepted = differs(mptcp.addAddrAccepted(), current.limits().addAddrAccepted());
            if (subflows != null || accepted != null) {
                changes.add(new Change.SetLimits(
                        current.limits().subflows(), subflows, current.limits().addAddrAccepted(), accepted));
            }
        }
        for (DesiredState.Interface iface : desired.interfaces()) {
            if (!InterfaceTypes.isLink(iface.type())) {
                if (iface.hasMptcpSettings()) {
                    warnings.add(PlanWarnings.notALink(iface));
                }
            } else if (iface.ignored()) {
                if (iface.hasMptcpSettings()) {
                    warnings.add(PlanWarnings.ignoredInterface(iface));
                }
            } else if (iface.absent()) {
                planAbsent(iface);
            } else {
                planInterface(iface);
            }
        }
        if (mptcp != null && mptcp.endpoints() != null) {
            planUnattached(mptcp.endpoints());
        }
        changes.addAll(removals);
        changes.addAll(flagChanges);
        changes.addAll(additions);

        Snapshot result = Simulation.apply(current, changes);
        checkDuplicates(result);
        int resulting = result.endpoints().size();
        if (resulting > KernelRules.MAX_ENDPOINTS) {
            problems.add(new Diagnostic(
                    documentPosition(),
                    "the namespace would hold " + resulting + " MPTCP endpoints; the kernel allows at most "
                            + KernelRules.MAX_ENDPOINTS));
        }
        if (!problems.isEmpty()) {
            throw new InvalidStateException(problems);
        }
        boolean managesEndpoints = !desired.interfaces().isEmpty() || (mptcp != null && mptcp.endpoints() != null);
        if (managesEndpoints && !"kernel".equals(current.sysctls().pathManager())) {
            warnings.add(PlanWarnings.pathManager(current.sysctls().pathManager()));
        }
        boolean enabledAfter = mptcp != null && mptcp.enabled() != null
                ? mptcp.enabled()
                : current.sysctls().enabled();
        if (!enabledAfter) {
            warnings.add(PlanWarnings.mptcpDisabled(mptcp == null ? null : mptcp.position()));
        }
        return new Plan(changes, warnings);
    }

    /** Where a problem about the whole file is reported: its mptcp section, else its first interface. */
    private Position documentPosition() {
        if (desired.mptcp() != null) {
            return desired.mptcp().position();
        }
        return desired.interfaces().isEmpty()
                ? null
                : desired.interfaces().get(0).position();
    }

    private static Integer differs(Integer wanted, int actual) {
        return wanted != null && wanted != actual ? wanted : null;
    }

    private void planInterface(DesiredState.Interface iface) {
        Link link = linksByName.get(iface.name());
        if (link == null) {
            problems.add(new Diagnostic(
                    iface.position(),
                    "interface " + iface.name() + " does not exist in this network"
                            + " namespace; mptcpstate manages MPTCP endpoints, not interfaces"));
            return;
        }
        if (!InterfaceTypes.matches(iface.type(), link.type())) {
            warnings.add(PlanWarnings.typeMismatch(iface, link));
        }
        if (iface.state() != null && iface.state().equals("up") != link.up()) {
            warnings.add(PlanWarnings.stateMismatch(iface, link));
        }
        List<LinkAddress> onLink = addressesByIndex.getOrDefault(link.index(), List.of());
        // by identity: the record's own hashCode is bootstrapped at run time and hashes every field
        Map<LinkAddress, DesiredState.Address> listed = new IdentityHashMap<>();
        for (DesiredState.Address address : iface.addresses()) {
            LinkAddress found = find(onLink, address.ip());
            if (found == null && address.dynamic()) {
                warnings.add(PlanWarnings.dynamicAddressGone(address, iface.name(), IpAddresses.format(address.ip())));
            } else if (found == null) {
                problems.add(new Diagnostic(
                        address.position(),
                        IpAddresses.format(address.ip()) + " is not an address" + " of " + iface.name()
                                + "; mptcpstate manages MPTCP endpoints, not addresses"));
            } else if (address.prefixLength() != null && address.prefixLength() != found.prefixLength()) {
                problems.add(new Diagnostic(
                        address.position(),
                        IpAddresses.format(address.ip()) + "/"
                                + address.prefixLength() + " is not on " + iface.name() + ": it has "
                                + IpAddresses.format(found.address()) + "/" + found.prefixLength()
                                + "; mptcpstate manages MPTCP endpoints, not addresses"));
            } else {
                listed.put(found, address);
            }
        }
        for (LinkAddress address : onLink) {
            DesiredState.Address entry = listed.get(address);
            EndpointFlags explicit = entry == null ? null : entry.mptcpFlags();
            EndpointFlags wanted = explicit != null ? explicit : iface.addressFlags();
            if (wanted == null) {
                continue;
            }
            if (wanted.has(MptcpFlag.IMPLICIT)) {
                continue; // kernel-made (as show prints it): left as the kernel has it
            }
            Position where = entry != null ? entry.position() : iface.position();
            if (!PlanWarnings.eligible(iface, address, explicit != null, wanted, where, warnings)) {
                continue;
            }
            planAddress(link, address, wanted);
        }
        // endpoints bound here whose address is gone; when mptcp.endpoints is stated, it decides about them
        if (iface.addressFlags() != null
                && (desired.mptcp() == null || desired.mptcp().endpoints() == null)) {
            for (KernelEndpoint endpoint : current.endpoints()) {
                if (endpoint.interfaceIndex() == link.index()
                        && endpoint.port() == 0
                        && find(onLink, endpoint.address()) == null) {
                    remove(endpoint, link.name());
                }
            }
        }
    }

    private void planAddress(Link link, LinkAddress address, EndpointFlags wanted) {
        KernelEndpoint existing = attachments.byAddress().get(address);
        if (wanted.isEmpty()) {
            if (existing != null) {
                remove(existing, nameOf(existing));
            }
            return;
        }
        if (existing == null) {
            // an endpoint on this address that show lists under mptcp.endpoints (bound to another interface,
            // or in IPv4-mapped form) would make the kernel refuse a second one: it is replaced
            KernelEndpoint elsewhere = unattachedOn(address.address());
            if (elsewhere != null && ignored.owner(elsewhere) != null) {
                warnings.add(PlanWarnings.ignoredEndpoint(
                        documentPosition(), IpAddresses.format(elsewhere.address()), nameOf(elsewhere)));
                return;
            }
            if (elsewhere != null) {
                if (listedInEndpoints(elsewhere)) {
                    problems.add(new Diagnostic(
                            documentPosition(),
                            IpAddresses.format(address.address()) + " gets flags"
                                    + " on " + link.name()
                                    + " and is also listed in mptcp.endpoints; the kernel holds one"
                                    + " endpoint per address"));
                    return;
                }
                replace(elsewhere, address.address(), 0, wanted, link, true);
                return;
            }
            additions.add(new Change.AddEndpoint(address.address(), 0, wanted, link.index(), link.name()));
        } else if (!existing.flags().equals(wanted)) {
            replace(existing, address.address(), 0, wanted, link, false);
        }
    }

    private KernelEndpoint unattachedOn(InetAddress address) {
        InetAddress identity = IpAddresses.kernelIdentity(address);
        for (KernelEndpoint endpoint : attachments.standalone()) {
            if (endpoint.port() == 0
                    && IpAddresses.kernelIdentity(endpoint.address()).equals(identity)) {
                return endpoint;
            }
        }
        return null;
    }

    /** Whether the file's mptcp.endpoints names this endpoint (by address and port). */
    private boolean listedInEndpoints(KernelEndpoint endpoint) {
        DesiredState.Mptcp mptcp = desired.mptcp();
        if (mptcp == null || mptcp.endpoints() == null) {
            return false;
        }
        for (DesiredState.StandaloneEndpoint wanted : mptcp.endpoints()) {
            int port = wanted.port() == null ? 0 : wanted.port();
            if (wanted.address().equals(endpoint.address()) && port == endpoint.port()) {
                return true;
            }
        }
        return false;
    }

    /** Endpoints not tied to an interface address: the kernel ends up with exactly the listed ones. */
    private void planUnattached(List<DesiredState.StandaloneEndpoint> wantedList) {
        List<KernelEndpoint> matched = new ArrayList<>();
        for (DesiredState.StandaloneEndpoint wanted : wantedList) {
            int port = wanted.port() == null ? 0 : wanted.port();
            Link link = null;
            if (wanted.interfaceName() != null) {
                link = linksByName.get(wanted.interfaceName());
                if (link != null && ignored.contains(link)) {
                    warnings.add(PlanWarnings.ignoredEndpoint(
                            wanted.position(), IpAddresses.format(wanted.address()), link.name()));
                    continue;
                }
                if (link == null) {
                    problems.add(new Diagnostic(
                            wanted.position(),
                            "interface " + wanted.interfaceName() + " does not exist in this network namespace"));
                    continue;
                }
            }
            KernelEndpoint existingHere = standaloneAt(wanted.address(), port);
            if (Ineligibility.of(IpAddresses.kernelIdentity(wanted.address())) == Ineligibility.LINK_LOCAL) {
                // as for an interface address: no endpoint is made, one the kernel has is left as it is
                warnings.add(PlanWarnings.linkLocalEndpoint(wanted.position(), IpAddresses.format(wanted.address())));
                if (existingHere != null) {
                    matched.add(existingHere);
                }
                continue;
            }
            String broadcast = subnetBroadcastOf(wanted.address());
            if (broadcast != null) {
                problems.add(new Diagnostic(
                        wanted.position(),
                        IpAddresses.format(wanted.address()) + " is the broadcast address of " + broadcast
                                + ": an endpoint needs a unicast address of this host"));
                continue;
            }
            if (port == 0 && wouldAttach(wanted.address(), link)) {
                problems.add(new Diagnostic(
                        wanted.position(),
                        IpAddresses.format(wanted.address()) + " is an address of"
                                + " an interface: give its flags as that interface address's mptcp-flags instead"));
                continue;
            }
            EndpointFlags flags = wanted.flags() == null ? EndpointFlags.NONE : wanted.flags();
            KernelEndpoint existing = existingHere;
            if (flags.has(MptcpFlag.IMPLICIT)) {
                if (existing != null) {
                    matched.add(existing); // kernel-made: left as the kernel has it
                }
                continue;
            }
            if (existing == null) {
                additions.add(new Change.AddEndpoint(
                        wanted.address(),
                        port,
                        flags,
                        link == null ? 0 : link.index(),
                        link == null ? null : link.name()));
                continue;
            }
            matched.add(existing);
            if (ignored.owner(existing) != null) {
                warnings.add(PlanWarnings.ignoredEndpoint(
                        wanted.position(), IpAddresses.format(existing.address()), ignored.owner(existing)));
                continue;
            }
            boolean rebind = link != null && existing.interfaceIndex() != link.index();
            if (rebind || !existing.flags().equals(flags)) {
                replace(existing, wanted.address(), port, flags, link, rebind);
            }
        }
        for (KernelEndpoint endpoint : attachments.standalone()) {
            if (!matched.contains(endpoint) && ignored.owner(endpoint) == null) {
                remove(endpoint, nameOf(endpoint));
            }
        }
    }

    /** The endpoint show lists under mptcp.endpoints with this address and port, or null. */
    private KernelEndpoint standaloneAt(InetAddress address, int port) {
        KernelEndpoint found = null;
        for (KernelEndpoint endpoint : attachments.standalone()) {
            if (endpoint.address().equals(address) && endpoint.port() == port) {
                found = endpoint;
            }
        }
        return found;
    }

    /**
     * "198.51.100.0/24 on eth2" when the address is the broadcast address of an IPv4 subnet of an interface (by its
     * address and prefix length), else null.
     */
    private String subnetBroadcastOf(InetAddress address) {
        InetAddress identity = IpAddresses.kernelIdentity(address);
        for (LinkAddress candidate : current.addresses()) {
            if (identity.equals(EndpointAddresses.subnetBroadcast(candidate.address(), candidate.prefixLength()))) {
                Link link = linksByIndex.get(candidate.interfaceIndex());
                InetAddress network = EndpointAddresses.subnetNetwork(candidate.address(), candidate.prefixLength());
                return IpAddresses.format(network) + "/" + candidate.prefixLength()
                        + (link == null ? "" : " on " + link.name());
            }
        }
        return null;
    }

    /**
     * Whether an endpoint without a port on this address, bound to {@code link} (null: unbound), would sit on an
     * interface address by the rule show uses ({@link Attachments}).
     */
    private boolean wouldAttach(InetAddress address, Link link) {
        for (LinkAddress candidate : current.addresses()) {
            if (candidate.address().equals(address) && (link == null || link.index() == candidate.interfaceIndex())) {
                return true;
            }
        }
        return false;
    }

    /** Two endpoints on one address (IPv4-mapped counted as IPv4) with the same port: the kernel refuses. */
    private void checkDuplicates(Snapshot result) {
        List<KernelEndpoint> endpoints = result.endpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            for (int j = i + 1; j < endpoints.size(); j++) {
                KernelEndpoint a = endpoints.get(i);
                KernelEndpoint b = endpoints.get(j);
                if (a.port() == b.port()
                        && IpAddresses.kernelIdentity(a.address()).equals(IpAddresses.kernelIdentity(b.address()))) {
                    problems.add(new Diagnostic(
                            documentPosition(),
                            "the namespace would hold two endpoints on "
                                    + IpAddresses.format(a.address()) + (a.port() == 0 ? "" : " port " + a.port())
                                    + "; the kernel allows one per address (is it on two interfaces, or also listed in"
                                    + " mptcp.endpoints?)"));
                    return;
                }
            }
        }
    }

    /** In place when only backup/fullmesh change and the binding stays; otherwise remove plus add. */
    private void replace(
            KernelEndpoint existing, InetAddress address, int port, EndpointFlags wanted, Link link, boolean rebind) {
        if (!rebind && existing.flags().differsOnlyInPlace(wanted)) {
            flagChanges.add(new Change.ChangeFlags(existing, wanted, nameOf(existing)));
            return;
        }
        remove(existing, nameOf(existing));
        int index = link != null ? link.index() : existing.interfaceIndex();
        additions.add(
                new Change.AddEndpoint(address, port, wanted, index, link != null ? link.name() : nameOf(existing)));
    }

    private void remove(KernelEndpoint endpoint, String interfaceName) {
        if (removedIds.add(endpoint.id())) {
            removals.add(new Change.RemoveEndpoint(endpoint, interfaceName));
        }
    }

    /**
     * An absent interface: the endpoints bound to it or on its addresses go (not those of an ignored
     * interface, nor those mptcp.endpoints lists: that is a contradiction); the link stays.
     */
    private void planAbsent(DesiredState.Interface iface) {
        Link link = linksByName.get(iface.name());
        if (link == null) {
            return; // already gone: nothing to do
        }
        List<LinkAddress> onLink = addressesByIndex.getOrDefault(link.index(), List.of());
        int count = 0;
        for (KernelEndpoint endpoint : current.endpoints()) {
            if ((endpoint.interfaceIndex() != link.index() && find(onLink, endpoint.address()) == null)
                    || ignored.owner(endpoint) != null) {
                continue;
            }
            if (listedInEndpoints(endpoint)) {
                problems.add(new Diagnostic(
                        iface.position(),
                        "endpoint " + IpAddresses.format(endpoint.address())
                                + (endpoint.port() == 0 ? "" : " port " + endpoint.port())
                                + " is listed in mptcp.endpoints, and is on " + iface.name()
                                + ", which the file says is absent"));
                continue;
            }
            remove(endpoint, nameOf(endpoint));
            count++;
        }
        warnings.add(PlanWarnings.absentLinkKept(iface, count));
    }

    private String nameOf(KernelEndpoint endpoint) {
        Link link = linksByIndex.get(endpoint.interfaceIndex());
        return link == null ? null : link.name();
    }

    private static LinkAddress find(List<LinkAddress> addresses, InetAddress ip) {
        for (LinkAddress address : addresses) {
            if (address.address().equals(ip)) {
                return address;
            }
        }
        return null;
    }
}
