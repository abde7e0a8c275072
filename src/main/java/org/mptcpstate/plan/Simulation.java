package org.mptcpstate.plan;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a snapshot becomes once a plan's changes are applied, computed without a kernel: for the diff of the
 * document and the endpoint count check. A new endpoint gets the lowest free id here; the kernel may choose
 * another.
 */
public final class Simulation {
    private static final Comparator<KernelEndpoint> BY_ID = new Comparator<>() {
        @Override
        public int compare(KernelEndpoint a, KernelEndpoint b) {
            return Integer.compare(a.id(), b.id());
        }
    };

    private Simulation() {}

    public static Snapshot apply(Snapshot snapshot, List<Change> changes) {
        boolean enabled = snapshot.sysctls().enabled();
        int subflows = snapshot.limits().subflows();
        int addAddrAccepted = snapshot.limits().addAddrAccepted();
        List<KernelEndpoint> endpoints = new ArrayList<>(snapshot.endpoints());
        for (Change change : changes) {
            if (change instanceof Change.SetEnabled set) {
                enabled = set.to();
            } else if (change instanceof Change.SetLimits limits) {
                subflows = limits.subflows() == null ? subflows : limits.subflows();
                addAddrAccepted = limits.addAddrAccepted() == null ? addAddrAccepted : limits.addAddrAccepted();
            } else if (change instanceof Change.RemoveEndpoint remove) {
                endpoints.removeIf(e -> e.id() == remove.endpoint().id());
            } else if (change instanceof Change.ChangeFlags flags) {
                for (int i = 0; i < endpoints.size(); i++) {
                    KernelEndpoint e = endpoints.get(i);
                    if (e.id() == flags.endpoint().id()) {
                        int bits = (e.flags().bits() & ~KernelRules.IN_PLACE_FLAGS)
                                | (flags.to().bits() & KernelRules.IN_PLACE_FLAGS);
                        endpoints.set(
                                i,
                                new KernelEndpoint(
                                        e.id(), e.address(), e.port(), new EndpointFlags(bits), e.interfaceIndex()));
                    }
                }
            } else if (change instanceof Change.AddEndpoint add) {
                endpoints.add(new KernelEndpoint(
                        freeId(endpoints), add.address(), add.port(), add.flags(), add.interfaceIndex()));
            }
        }
        endpoints.sort(BY_ID);
        return new Snapshot(
                new Sysctls(enabled, snapshot.sysctls().pathManager()),
                new Limits(subflows, addAddrAccepted),
                endpoints,
                snapshot.links(),
                snapshot.addresses(),
                snapshot.defaultRoutes());
    }

    private static int freeId(List<KernelEndpoint> endpoints) {
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
