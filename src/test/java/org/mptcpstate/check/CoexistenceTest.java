package org.mptcpstate.check;

import org.junit.jupiter.api.Test;
import org.mptcpstate.kernel.NetworkFacts.EndpointManager;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The warnings about other endpoint managers: one per process, each with the way to turn it off. */
class CoexistenceTest {
    @Test
    void noOtherManagerNoFinding() {
        assertThat(Coexistence.findings(List.of())).isEmpty();
    }

    @Test
    void networkManagerAndMptcpdAreWarningsWithTheirFix() {
        List<Finding> findings = Coexistence.findings(
                List.of(new EndpointManager("NetworkManager", 812), new EndpointManager("mptcpd", 4242)));
        assertThat(findings).hasSize(2);
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
            assertThat(f.code()).isEqualTo("endpoint-manager");
        });
        assertThat(findings.get(0).toString())
                .startsWith("warning endpoint-manager NetworkManager (pid 812): NetworkManager runs in this network"
                        + " namespace")
                .contains("nmcli connection modify PROFILE connection.mptcp-flags disabled")
                .contains("connection.mptcp-flags=0x1");
        assertThat(findings.get(1).toString())
                .startsWith("warning endpoint-manager mptcpd (pid 4242): mptcpd runs in this network namespace")
                .contains("fix: systemctl disable --now mptcpd");
    }
}
