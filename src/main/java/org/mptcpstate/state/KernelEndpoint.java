package org.mptcpstate.state;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

/**
 * An endpoint as the kernel holds it: its id, address, port (0: none), flags and the interface it is bound to
 * (0: not bound).
 */
public record KernelEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
    /** By id, as the kernel lists them. A class, not a lambda: lambdas are spun at run time. */
    public static final Comparator<KernelEndpoint> BY_ID = new Comparator<>() {
        @Override
        public int compare(KernelEndpoint a, KernelEndpoint b) {
            return Integer.compare(a.id(), b.id());
        }
    };

    /** The lowest id none of {@code endpoints} has (the kernel may choose another); 0 when all are taken. */
    public static int lowestFreeId(List<KernelEndpoint> endpoints) {
        for (int id = KernelRules.MIN_ENDPOINT_ID; id <= KernelRules.MAX_ENDPOINT_ID; id++) {
            boolean used = false;
            for (KernelEndpoint e : endpoints) {
                used |= e.id() == id;
            }
            if (!used) {
                return id;
            }
        }
        return 0;
    }
}
