package org.mptcpstate.kernel;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A kernel for a rehearsal ({@link MptcpKernel#rehearsal()}): a write checks its arguments and encodes its
 * mptcp_pm request as the netlink kernel does, then sends nothing; reads are the kernel's with the rehearsal's
 * own endpoint writes laid over them (an added endpoint gets the lowest free id, as the planner's simulation
 * gives it), so that a rehearsed step reads back what it wrote, as a real one does. It refuses nothing the
 * kernel would refuse (a duplicate address, a ninth endpoint), and limits and net.mptcp.enabled are not laid
 * over. Closing it leaves the kernel open.
 */
final class Rehearsal implements MptcpKernel {
    private final MptcpKernel kernel;
    /** Endpoints the rehearsal added or changed: shown in place of the kernel's with the same id. */
    private final List<KernelEndpoint> added = new ArrayList<>();
    /** Ids the rehearsal deleted: the kernel's endpoints with these ids are not shown. */
    private final Set<Integer> hidden = new HashSet<>();

    Rehearsal(MptcpKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Snapshot query() {
        Snapshot snapshot = kernel.query();
        return new Snapshot(
                snapshot.sysctls(),
                snapshot.limits(),
                overlaid(snapshot.endpoints()),
                snapshot.links(),
                snapshot.addresses(),
                snapshot.defaultRoutes());
    }

    @Override
    public List<KernelEndpoint> endpoints() {
        return overlaid(kernel.endpoints());
    }

    private List<KernelEndpoint> overlaid(List<KernelEndpoint> endpoints) {
        if (added.isEmpty() && hidden.isEmpty()) {
            return endpoints;
        }
        List<KernelEndpoint> result = new ArrayList<>(endpoints.size() + added.size());
        for (KernelEndpoint endpoint : endpoints) {
            if (!hidden.contains(endpoint.id()) && find(endpoint.id()) < 0) {
                result.add(endpoint);
            }
        }
        result.addAll(added);
        result.sort(KernelEndpoint.BY_ID);
        return result;
    }

    @Override
    public void setEnabled(boolean enabled) {}

    @Override
    public void setLimits(Integer subflows, Integer addAddrAccepted) {
        KernelArguments.checkLimit("subflows", subflows);
        KernelArguments.checkLimit("add_addr_accepted", addAddrAccepted);
        MptcpPm.encodeLimits(subflows, addAddrAccepted);
    }

    @Override
    public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        KernelArguments.checkNewEndpoint(id, address, port, flags, interfaceIndex);
        MptcpPm.encodeAddEndpoint(id, address, port, flags, interfaceIndex);
        List<KernelEndpoint> now = endpoints();
        added.add(new KernelEndpoint(
                id != 0 ? id : KernelEndpoint.lowestFreeId(now), address, port, flags, interfaceIndex));
    }

    @Override
    public void deleteEndpoint(int id) {
        KernelArguments.checkEndpointId(id);
        MptcpPm.encodeEndpointId(id);
        int at = find(id);
        if (at >= 0) {
            added.remove(at);
        }
        hidden.add(id);
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        KernelArguments.checkEndpointId(id);
        Objects.requireNonNull(flags, "flags");
        MptcpPm.encodeSetFlags(id, flags);
        for (KernelEndpoint endpoint : endpoints()) {
            if (endpoint.id() == id) {
                int at = find(id);
                if (at >= 0) {
                    added.remove(at);
                }
                added.add(new KernelEndpoint(
                        id,
                        endpoint.address(),
                        endpoint.port(),
                        endpoint.flags().changedInPlaceTo(flags),
                        endpoint.interfaceIndex()));
                return;
            }
        }
    }

    @Override
    public void close() {}

    private int find(int id) {
        for (int i = 0; i < added.size(); i++) {
            if (added.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }
}
