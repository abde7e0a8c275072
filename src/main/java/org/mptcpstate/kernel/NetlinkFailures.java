package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.SystemCallException;

/** What the netlink layer throws, as the kernel port's failures: the one place they are translated. */
final class NetlinkFailures {
    private NetlinkFailures() {}

    /**
     * The port's failure for {@code failure}; a refusal for want of privilege names what needed it
     * ({@code what}: "adding an MPTCP endpoint").
     */
    static KernelException translate(String what, NetlinkException failure) {
        if (failure instanceof KernelErrorException refused) {
            if (Errno.isPermission(refused.errno())) {
                return new PermissionDeniedException(what + " needs root or CAP_NET_ADMIN on this kernel", failure);
            }
            return new KernelRefusedException(refused.errno(), refused.kernelMessage(), failure);
        }
        if (failure instanceof SystemCallException call && Errno.isPermission(call.errno())) {
            return new PermissionDeniedException(what + " needs root or CAP_NET_ADMIN on this kernel", failure);
        }
        return new KernelException(failure.getMessage(), failure);
    }
}
