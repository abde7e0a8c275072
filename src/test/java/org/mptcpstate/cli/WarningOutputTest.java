package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the commands print warnings: routine kinds in one line per file unless --verbose, every line with its code. */
class WarningOutputTest {
    private static final String NMSTATE_FILE = """
            interfaces:
            - name: eth1
              type: ethernet
              driver: virtio_net
              mtu: 1500
              mptcp:
                address-flags: [subflow, subflow]
              ipv4:
                enabled: "yes"
                dhcp: true
                address:
                - ip: 192.0.2.2
                  prefix-length: "24"
                  valid-life-time: 3418sec
                  preferred-life-time: 3418sec
            routes:
              config: []
            """;

    @Test
    void validateSummarisesIgnoredKeysInOneLine() throws Exception {
        Path file = Mptcpstate.stateFile(NMSTATE_FILE);
        Run run = Mptcpstate.inProcess("validate", file.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(file + ": valid\n");
        assertThat(run.stderr().lines().toList())
                .containsExactly(
                        "mptcpstate: warning: " + file + ": ignoring 4 nmstate keys that mptcpstate does not act"
                                + " on: top level 1 (routes), interfaces 2 (driver, mtu), ipv4/ipv6 1 (dhcp);"
                                + " --verbose lists each [nmstate-ignored]",
                        "mptcpstate: warning: " + file + ":7:30: flag 'subflow' is listed twice; counted once"
                                + " [flag-duplicate]");
    }

    @Test
    void verboseListsEachIgnoredKeyWhereItIs() throws Exception {
        Path file = Mptcpstate.stateFile(NMSTATE_FILE);
        Run run = Mptcpstate.inProcess("validate", "--verbose", file.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String ignored = " is an nmstate key that mptcpstate does not act on; not read [nmstate-ignored]";
        assertThat(run.stderr().lines().toList())
                .containsExactly(
                        "mptcpstate: warning: " + file + ":4:3: 'driver'" + ignored,
                        "mptcpstate: warning: " + file + ":5:3: 'mtu'" + ignored,
                        "mptcpstate: warning: " + file + ":7:30: flag 'subflow' is listed twice; counted once"
                                + " [flag-duplicate]",
                        "mptcpstate: warning: " + file + ":10:5: 'dhcp'" + ignored,
                        "mptcpstate: warning: " + file + ":16:1: 'routes'" + ignored);
    }

    @Test
    void everyCommandThatPrintsWarningsTakesVerbose() {
        for (String command : List.of("diff", "apply", "watch", "check", "validate", "persist")) {
            Run help = Mptcpstate.inProcess("help", command);
            assertThat(help.stdout()).as(command).contains("--verbose");
        }
    }
}
