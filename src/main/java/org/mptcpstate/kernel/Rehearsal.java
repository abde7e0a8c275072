package org.mptcpstate.kernel;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A kernel for a rehearsal ({@link MptcpKernel#rehearsal()}): reads are the kernel's; a write checks its arguments
 * and encodes its mptcp_pm request as the netlink kernel does, then sends nothing. Closing it leaves the kernel
 * open.
 */
final class Rehearsal implements MptcpKernel {
    private final MptcpKernel kernel;

    Rehearsal(MptcpKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Snapshot query() {
        return kernel.query();
    }

    @Override
    public List<KernelEndpoint> endpoints() {
        return kernel.endpoints();
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
    }

    @Override
    public void deleteEndpoint(int id) {
        KernelArguments.checkEndpointId(id);
        MptcpPm.encodeEndpointId(id);
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        KernelArguments.checkEndpointId(id);
        Objects.requireNonNull(flags, "flags");
        MptcpPm.encodeSetFlags(id, flags);
    }

    @Override
    public void close() {}
}
