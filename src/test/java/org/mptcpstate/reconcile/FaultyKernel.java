package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.KernelRefusedException;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;

/**
 * Wraps a kernel and fails the N-th write (1-based) with EIO, as a kernel fault part-way through a plan: before
 * the write, or after it took effect (a reply lost), when {@code afterWriting}.
 */
class FaultyKernel implements MptcpKernel {
    private final MptcpKernel kernel;
    private final int failingWrite;
    private final boolean afterWriting;
    private int writes;

    FaultyKernel(MptcpKernel kernel, int failingWrite) {
        this(kernel, failingWrite, false);
    }

    FaultyKernel(MptcpKernel kernel, int failingWrite, boolean afterWriting) {
        this.kernel = kernel;
        this.failingWrite = failingWrite;
        this.afterWriting = afterWriting;
    }

    private void write(Runnable action) {
        boolean fail = ++writes == failingWrite;
        if (fail && !afterWriting) {
            throw new KernelRefusedException(5, "injected fault at write " + writes);
        }
        action.run();
        if (fail) {
            throw new KernelRefusedException(5, "injected fault at write " + writes);
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
        write(() -> kernel.setEnabled(enabled));
    }

    @Override
    public void setLimits(Integer subflows, Integer addAddrAccepted) {
        write(() -> kernel.setLimits(subflows, addAddrAccepted));
    }

    @Override
    public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        write(() -> kernel.addEndpoint(id, address, port, flags, interfaceIndex));
    }

    @Override
    public void deleteEndpoint(int id) {
        write(() -> kernel.deleteEndpoint(id));
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        write(() -> kernel.setEndpointFlags(id, flags));
    }

    @Override
    public void close() {
        kernel.close();
    }
}
