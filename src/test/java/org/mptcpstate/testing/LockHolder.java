package org.mptcpstate.testing;

import org.mptcpstate.netlink.NetworkNamespace;
import org.mptcpstate.reconcile.NamespaceLock;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A helper process for lock tests: takes mptcpstate's namespace lock for the namespace at args[0], prints
 * "locked" and holds it until killed.
 */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        NetworkNamespace.call(Path.of(args[0]), () -> {
            NamespaceLock lock = NamespaceLock.acquire(Duration.ZERO);
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
            return null;
        });
    }
}
