package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mptcpstate.kernel.ContractNamespace.VA0_V4;
import static org.mptcpstate.kernel.ContractNamespace.VB0_V4;
import static org.mptcpstate.kernel.ContractNamespace.ip;

/** The kernel contract against {@link FakeKernel}, on the layout of {@link ContractNamespace}; needs no root. */
class FakeKernelContractTest extends MptcpKernelContract {
    @Override
    protected void withFreshNamespace(Body body) throws Exception {
        try (FakeKernel kernel = ContractNamespace.fake()) {
            body.run(kernel);
        }
    }

    // ---------------------------------------------------------------- what only the fake has: its construction

    private static Snapshot initial(List<KernelEndpoint> endpoints) {
        return new Snapshot(
                new Sysctls(false, Sysctls.USERSPACE),
                new Limits(4, 1),
                endpoints,
                ContractNamespace.links(),
                ContractNamespace.addresses(),
                ContractNamespace.defaultRoutes());
    }

    @Test
    void startsFromTheSnapshotItIsGiven() {
        Snapshot snapshot = initial(List.of(endpoint(3, VA0_V4, SUBFLOW), endpoint(1, VB0_V4, SIGNAL)));
        try (FakeKernel kernel = new FakeKernel(snapshot)) {
            Snapshot read = kernel.query();
            assertThat(read.sysctls()).isEqualTo(snapshot.sysctls());
            assertThat(read.limits()).isEqualTo(snapshot.limits());
            assertThat(read.endpoints())
                    .as("in id order")
                    .containsExactly(endpoint(1, VB0_V4, SIGNAL), endpoint(3, VA0_V4, SUBFLOW));
            assertThat(read.links()).isEqualTo(snapshot.links());
            assertThat(read.addresses()).isEqualTo(snapshot.addresses());
            assertThat(read.defaultRoutes()).isEqualTo(snapshot.defaultRoutes());
        }
    }

    @Test
    void theIdCursorStartsAtTheHighestInitialId() {
        try (FakeKernel kernel = new FakeKernel(initial(List.of(endpoint(3, VA0_V4, SUBFLOW))))) {
            kernel.addEndpoint(0, ip("203.0.113.1"), 0, EndpointFlags.NONE, 0);
            assertThat(kernel.query().endpoints())
                    .extracting(KernelEndpoint::id)
                    .containsExactly(3, 4);
        }
    }

    /** Read from the kernel source (not measurable without live connections): implicit endpoints give way. */
    @Test
    void anAddedEndpointReplacesAnImplicitOneAndTakesItsId() {
        try (FakeKernel kernel = new FakeKernel(initial(List.of(endpoint(5, VA0_V4, IMPLICIT))))) {
            assertThatThrownBy(() -> kernel.addEndpoint(9, VA0_V4, 0, flags(SUBFLOW), 0))
                    .hasMessage("kernel refused: too many addresses or duplicate one: -22 (EINVAL)");
            kernel.addEndpoint(0, VA0_V4, 0, flags(SUBFLOW | BACKUP), 0);
            assertThat(kernel.query().endpoints()).containsExactly(endpoint(5, VA0_V4, SUBFLOW | BACKUP));
        }
    }

    @Test
    void refusesInitialEndpointsNoKernelCouldHold() {
        assertThatThrownBy(() -> new FakeKernel(initial(List.of(endpoint(1, VA0_V4, 0), endpoint(1, VB0_V4, 0)))))
                .isInstanceOf(IllegalArgumentException.class);
        List<KernelEndpoint> nine = new java.util.ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            nine.add(endpoint(i, ip("203.0.113." + i), 0));
        }
        assertThatThrownBy(() -> new FakeKernel(initial(nine))).isInstanceOf(IllegalArgumentException.class);
    }
}
