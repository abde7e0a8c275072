package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diff --current against a show document saved from a real namespace: the same output and exit code as diff
 * against the kernel, and, run as nobody under strace, not one netlink socket, namespace switch or
 * /proc/sys/net/mptcp or /run/mptcpstate access (strace is the oracle; the same trace of a kernel diff shows
 * its netlink sockets, so the trace can see them).
 */
@Tag("kernel")
class DiffCurrentIT {
    private static final String STATE = "mptcp:\n  limits:\n    subflows: 4\ninterfaces:\n- name: eth1\n"
            + "  mptcp:\n    address-flags: [signal]\n";

    private static Path readable(String name, String content) throws IOException {
        Path dir = Files.createTempDirectory("mptcpstate-current-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir.toFile().deleteOnExit();
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        file.toFile().deleteOnExit();
        return file;
    }

    /** strace -f of a command as nobody; returns the trace. */
    private static String traced(Run[] result, String... args) throws IOException {
        Path log = Files.createTempFile("mptcpstate-strace-", ".log");
        log.toFile().deleteOnExit();
        List<String> prefix = new ArrayList<>(
                List.of("strace", "-f", "-qq", "-e", "trace=socket,setns,unshare,openat,open", "-o", log.toString()));
        prefix.addAll(Nobody.prefix());
        result[0] = Mptcpstate.jarVia(prefix, Nobody.readableJar(), args);
        return Files.readString(log);
    }

    @Test
    void aSavedShowDocumentPlansAsTheKernelWouldWithoutTouchingIt() throws IOException {
        try (Netns ns = Netns.create("current")) {
            ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
            ns.ip("link", "set", "eth1", "up");
            ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
            ns.ip("addr", "add", "2001:db8::2/64", "dev", "eth1", "nodad");
            ns.awaitAddressesSettled();
            ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "id", "7", "dev", "eth1", "subflow");
            Path state = readable("state.yml", STATE);
            Path yaml = readable(
                    "h.show.yml",
                    Mptcpstate.inProcess("show", "--netns", ns.name())
                            .assertOk()
                            .stdout());
            Path json = readable(
                    "h.show.json",
                    Mptcpstate.inProcess("show", "--json", "--netns", ns.name())
                            .assertOk()
                            .stdout());

            Run live = Mptcpstate.inProcess("diff", state.toString(), "--netns", ns.name());
            assertThat(live.exitCode()).isEqualTo(2);
            assertThat(live.stdout())
                    .startsWith("~ limits: subflows 2 -> 4\n- endpoint 7: 192.0.2.2 on eth1 [subflow]\n");
            Run liveJson = Mptcpstate.inProcess("diff", "--json", state.toString(), "--netns", ns.name());
            for (Path saved : List.of(yaml, json)) {
                Run offline = Mptcpstate.inProcess("diff", "--current", saved.toString(), state.toString());
                assertThat(offline).as("diff --current %s", saved.getFileName()).isEqualTo(live);
                Run offlineJson =
                        Mptcpstate.inProcess("diff", "--json", "--current", saved.toString(), state.toString());
                assertThat(offlineJson).isEqualTo(liveJson);
            }

            // as nobody, traced: the same plan, and no kernel access at all
            Run[] run = new Run[1];
            String trace = traced(run, "diff", "--current", yaml.toString(), state.toString());
            assertThat(run[0].exitCode()).as(run[0].stderr()).isEqualTo(2);
            assertThat(run[0].stdout()).isEqualTo(live.stdout());
            assertThat(trace).contains("openat(").contains(yaml.toString());
            assertThat(trace)
                    .doesNotContain("AF_NETLINK", "setns(", "/proc/sys/net/mptcp", "/run/mptcpstate", "/run/netns");
            // the control: the same trace of a diff that reads the kernel (nobody's own namespace: entering another
            // needs CAP_SYS_ADMIN; reading changes nothing) shows its netlink sockets
            String control = traced(run, "diff", state.toString());
            assertThat(control).contains("AF_NETLINK");
        }
    }

    @Test
    void aBadSavedDocumentIs65AtItsPlaceAndAnEmptyNamespaceIsNotConsulted() throws IOException {
        Path state = readable("state.yml", STATE);
        Path bad = readable("bad.show.yml", "mptcp:\n  enabled: yes please\n");
        Run run = Mptcpstate.jar("diff", "--current", bad.toString(), state.toString());
        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .startsWith("mptcpstate: " + bad + ":1:1: missing 'interfaces': a show document has it\n")
                .contains(bad + ":2:3: missing 'path-manager'")
                .contains(bad + ":2:12: expected true or false, got the string 'yes please'")
                .doesNotContain("Exception");
        // in a namespace with no eth1 at all, the saved document (which has it) is what the plan is made on
        try (Netns ns = Netns.create("empty")) {
            Path saved = readable(
                    "h.show.yml",
                    "mptcp:\n  enabled: true\n  path-manager: kernel\n  limits:\n    subflows: 2\n"
                            + "    add-addr-accepted: 0\n  endpoints: []\ninterfaces:\n- name: eth1\n  type: veth\n"
                            + "  state: up\n  oper-state: up\n  ipv4:\n    default-route: false\n    address:\n"
                            + "    - ip: 192.0.2.2\n      prefix-length: 24\n      mptcp-flags: []\n");
            Run inEmpty = Mptcpstate.jarVia(
                    List.of("ip", "netns", "exec", ns.name()),
                    Mptcpstate.jar(),
                    "diff",
                    "--current",
                    saved.toString(),
                    state.toString());
            assertThat(inEmpty.exitCode()).as(inEmpty.stderr()).isEqualTo(2);
            assertThat(inEmpty.stdout())
                    .startsWith("~ limits: subflows 2 -> 4\n+ endpoint 192.0.2.2 on eth1 [signal]\n");
        }
    }
}
