package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetworkNamespace;
import org.mptcpstate.netlink.SystemCallException;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Running kernel work in the network namespace a command names ({@code --netns NAME|PATH}): on a dedicated thread
 * that entered it, so that sockets it opens and /proc/sys/net files it reads belong to that namespace.
 */
public final class Namespaces {
    private Namespaces() {}

    /**
     * A namespace argument as users give it: a name under /run/netns (as {@code ip netns} makes them), or a
     * path such as /proc/PID/ns/net.
     *
     * @throws IllegalArgumentException for an empty name, {@code .} or {@code ..}
     */
    public static Path resolve(String nameOrPath) {
        return NetworkNamespace.resolve(nameOrPath);
    }

    /** Runs {@code work} in the namespace at {@code path}; null runs it on the caller's thread as it is. */
    public static <T> T call(Path path, Callable<T> work) throws Exception {
        try {
            return NetworkNamespace.call(path, work);
        } catch (NetworkNamespace.NamespaceNotFoundException e) {
            throw new NamespaceNotFoundException(e.getMessage(), e);
        } catch (SystemCallException e) {
            if (Errno.isPermission(e.errno())) {
                throw new PermissionDeniedException(
                        e.getMessage()
                                + (e.getMessage().startsWith("setns")
                                        ? ": entering another network namespace needs root (CAP_SYS_ADMIN)"
                                        : ""),
                        e);
            }
            throw NetlinkFailures.translate("entering the network namespace", e);
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("entering the network namespace", e);
        }
    }
}
