package org.mptcpstate.plan;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.MptcpFlag;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warning of a plan that closes live subflows: exactly for deleted endpoints whose address has some. */
class ClosedSubflowsTest {
    private static final EndpointFlags SUBFLOW = EndpointFlags.of(MptcpFlag.SUBFLOW);
    private static final EndpointFlags SIGNAL_SUBFLOW = EndpointFlags.of(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW);
    private static final KernelEndpoint ENDPOINT = new KernelEndpoint(1, ip("198.51.100.1"), 0, SUBFLOW, 3);

    /** Two connections: one with a join from 198.51.100.1, one whose join from it is still being opened. */
    private static final List<MptcpConnection> CONNECTIONS = List.of(
            connection(subflow("192.0.2.1", 1), subflow("198.51.100.1", 1)),
            connection(subflow("192.0.2.1", 1), subflow("198.51.100.1", 2)));

    @Test
    void aFlagTheKernelCannotChangeInPlaceClosesTheSubflows() {
        Plan plan = new Plan(
                List.of(
                        new Change.RemoveEndpoint(ENDPOINT, "eth1"),
                        new Change.AddEndpoint(ip("198.51.100.1"), 0, SIGNAL_SUBFLOW, 3, "eth1")),
                List.of());
        assertThat(ClosedSubflows.removesEndpoints(plan)).isTrue();
        List<Diagnostic> warnings = ClosedSubflows.warnings(plan, CONNECTIONS);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).code()).isEqualTo("closes-live-subflows");
        assertThat(warnings.get(0).position()).isNull();
        assertThat(warnings.get(0).message())
                .isEqualTo("this change closes 1 live subflow on 198.51.100.1 (1 connection): the kernel cannot change"
                        + " the signal flag in place, so the endpoint is deleted and added again; new subflows from"
                        + " 198.51.100.1 form only on connections whose path manager opens them again, not"
                        + " guaranteed");
    }

    @Test
    void aRemovalClosesEverySubflowOnTheAddressTheFirstOnesToo() {
        KernelEndpoint first = new KernelEndpoint(2, ip("192.0.2.1"), 0, SUBFLOW, 2);
        Plan plan = new Plan(List.of(new Change.RemoveEndpoint(first, "eth0")), List.of());
        assertThat(ClosedSubflows.warnings(plan, CONNECTIONS))
                .extracting(Diagnostic::message)
                .containsExactly("this change closes 2 live subflows on 192.0.2.1 (2 connections): the endpoint is"
                        + " deleted");
    }

    @Test
    void inPlaceChangesAndIdleAddressesCloseNothing() {
        Plan inPlace = new Plan(
                List.of(new Change.ChangeFlags(
                        ENDPOINT, EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.BACKUP), "eth1")),
                List.of());
        assertThat(ClosedSubflows.removesEndpoints(inPlace)).isFalse();
        assertThat(ClosedSubflows.warnings(inPlace, CONNECTIONS)).isEmpty();
        Plan idle = new Plan(
                List.of(new Change.RemoveEndpoint(new KernelEndpoint(3, ip("203.0.113.5"), 0, SUBFLOW, 0), null)),
                List.of());
        assertThat(ClosedSubflows.warnings(idle, CONNECTIONS)).isEmpty();
    }

    private static MptcpConnection connection(MptcpConnection.Subflow... subflows) {
        return new MptcpConnection(
                ip("192.0.2.1"),
                40000,
                ip("203.0.113.1"),
                443,
                MptcpConnection.ESTABLISHED,
                1,
                new MptcpConnection.Info(1, 0, 0, 2, 0, 0, 0, -1, -1),
                List.of(subflows));
    }

    private static MptcpConnection.Subflow subflow(String local, int state) {
        return new MptcpConnection.Subflow(ip(local), 40001, ip("203.0.113.1"), 443, state, 0, 0, 0, 0x8, 10, 0);
    }

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }
}
