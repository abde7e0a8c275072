package org.mptcpstate.plan;

import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.util.ArrayList;
import java.util.List;

/**
 * What a snapshot becomes once a plan's changes are applied, computed without a kernel: for the diff of the
 * document and the endpoint count check. A new endpoint gets the lowest free id here; the kernel may choose
 * another.
 */
public final class Simulation {
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
                        endpoints.set(
                                i,
                                new KernelEndpoint(
                                        e.id(),
                                        e.address(),
                                        e.port(),
                                        e.flags().changedInPlaceTo(flags.to()),
                                        e.interfaceIndex()));
                    }
                }
            } else if (change instanceof Change.AddEndpoint add) {
                endpoints.add(new KernelEndpoint(
                        KernelEndpoint.lowestFreeId(endpoints),
                        add.address(),
                        add.port(),
                        add.flags(),
                        add.interfaceIndex()));
            }
        }
        endpoints.sort(KernelEndpoint.BY_ID);
        return new Snapshot(
                new Sysctls(enabled, snapshot.sysctls().pathManager()),
                new Limits(subflows, addAddrAccepted),
                endpoints,
                snapshot.links(),
                snapshot.addresses(),
                snapshot.defaultRoutes());
    }
}
