package org.mptcpstate.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WarningSummaryTest {
    private static Position at(int line) {
        return new Position("client.yml", line, 3);
    }

    private static Diagnostic linkLocal(int line, String iface) {
        return new Diagnostic(
                at(line),
                WarningCode.LINK_LOCAL_SKIPPED,
                "skipping " + iface + " fe80::" + line + ": link-local addresses get no MPTCP endpoint",
                iface);
    }

    private static final Diagnostic TYPE =
            new Diagnostic(at(12), WarningCode.TYPE_MISMATCH, "interface eth0 is of type bridge, not bond", "eth0");

    @Test
    void routineKindsBecomeOneLineInThePlaceOfTheirFirst() {
        List<Diagnostic> warnings = List.of(
                linkLocal(12, "eth0"),
                TYPE,
                linkLocal(16, "eth1"),
                linkLocal(17, "eth1"),
                linkLocal(20, "wlan0"),
                new Diagnostic(at(21), WarningCode.LOOPBACK_SKIPPED, "skipping lo ::1: ...", "lo"));
        assertThat(WarningSummary.of(warnings, false))
                .extracting(Diagnostic::toString)
                .containsExactly(
                        "client.yml: skipping 4 link-local addresses (eth0, eth1, wlan0): they get no MPTCP"
                                + " endpoint; --verbose lists each [link-local-skipped]",
                        "client.yml:12:3: interface eth0 is of type bridge, not bond [type-mismatch]",
                        "client.yml: skipping 1 loopback address (lo): it gets no MPTCP endpoint; --verbose lists"
                                + " each [loopback-skipped]");
        assertThat(WarningSummary.of(warnings, true)).isEqualTo(warnings);
    }

    @Test
    void withoutRoutineWarningsNothingChanges() {
        assertThat(WarningSummary.of(List.of(TYPE), false)).containsExactly(TYPE);
        assertThat(WarningSummary.of(List.of(), false)).isEmpty();
    }

    @Test
    void ignoredKeysAreCountedPerSectionInDocumentOrder() {
        List<Diagnostic> warnings = List.of(
                ignored(2, "ipv4/ipv6: dhcp"),
                ignored(3, "interfaces: mtu"),
                ignored(4, "ipv4/ipv6: dhcp"),
                ignored(9, "top level: routes"),
                ignored(10, "absent interfaces: vlan"));
        Diagnostic summary = WarningSummary.of(warnings, false).get(0);
        assertThat(summary.toString())
                .isEqualTo("client.yml: ignoring 5 nmstate keys that mptcpstate does not act on: top level 1"
                        + " (routes), interfaces 1 (mtu), ipv4/ipv6 2 (dhcp), absent interfaces 1 (vlan);"
                        + " --verbose lists each [nmstate-ignored]");
        assertThat(summary.position().isWholeFile()).isTrue();
    }

    @Test
    void warningsOfNoFileOrOfSeveralFilesGetNoPosition() {
        Diagnostic other = new Diagnostic(
                new Position("other.yml", 1, 1), WarningCode.LINK_LOCAL_SKIPPED, "skipping eth9 fe80::9", "eth9");
        assertThat(WarningSummary.of(List.of(linkLocal(2, "eth0"), other), false)
                        .get(0)
                        .position())
                .isNull();
    }

    private static Diagnostic ignored(int line, String subject) {
        return new Diagnostic(at(line), WarningCode.NMSTATE_IGNORED, "ignored", subject);
    }
}
