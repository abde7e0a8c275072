package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;

/** Wraps a kernel and refuses the N-th write (1-based) with EIO, as a kernel fault part-way through a plan. */
class FaultyKernel implements MptcpKernel {
    private final MptcpKernel kernel;
    private final int failingWrite;
    private int writes;

    FaultyKernel(MptcpKernel kernel, int failingWrite) {
        this.kernel = kernel;
        this.failingWrite = failingWrite;
    }

    private void write() {
        if (++writes == failingWrite) {
            throw new KernelErrorException(5, "injected fault at write " + writes);
        }
    }

    int writes() {
        return writes;
    }

    @Override
    public Snapshot query() {
        return kernel.query();
    }

    @Override
    public void setEnabled(boolean enabled) {
        write();
        kernel.setEnabled(enabled);
    }

    @Override
    public void setLimits(Integer subflows, Integer addAddrAccepted) {
        write();
        kernel.setLimits(subflows, addAddrAccepted);
    }

    @Override
    public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        write();
        kernel.addEndpoint(id, address, port, flags, interfaceIndex);
    }

    @Override
    public void deleteEndpoint(int id) {
        write();
        kernel.deleteEndpoint(id);
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        write();
        kernel.setEndpointFlags(id, flags);
    }

    @Override
    public void close() {
        kernel.close();
    }

}
