package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * apply and diff against the real kernel, in namespaces the tests make, checked with iproute2: the oracle is
 * `ip -j mptcp endpoint show`, `ip mptcp limits` and the sysctl as `sysctl` reads it.
 */
@Tag("kernel")
class ApplyIT {
    private static final List<String> FLAGS = List.of("signal", "subflow", "backup", "fullmesh");

    /** eth1 with an IPv4, an IPv6 (ready) and its fe80:: address, a peer eth2 in the same namespace. */
    private static Netns namespace() {
        Netns ns = Netns.create("apply");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("link", "set", "eth2", "up");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
        ns.ip("addr", "add", "2001:db8::2/64", "dev", "eth1", "nodad");
        ns.ip("addr", "add", "198.51.100.2/24", "dev", "eth2");
        ns.awaitAddressesSettled();
        return ns;
    }

    private static Run apply(Netns ns, String yaml) throws IOException {
        return Mptcpstate.inProcess("apply", Mptcpstate.stateFile(yaml).toString(), "--netns", ns.name());
    }

    /** address -> endpoint as iproute2 reports it. */
    private static Map<String, JsonNode> endpoints(Netns ns) {
        Map<String, JsonNode> byAddress = new HashMap<>();
        for (JsonNode endpoint : Documents.elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            byAddress.put(endpoint.path("address").asString(), endpoint);
        }
        return byAddress;
    }

    private static Set<String> flagsOf(JsonNode endpoint) {
        Set<String> flags = new LinkedHashSet<>();
        for (String flag : FLAGS) {
            if (endpoint.path(flag).asBoolean(false)) {
                flags.add(flag);
            }
        }
        return flags;
    }

    /** Every combination nmstate accepts (all but signal with fullmesh), applied in turn to one interface. */
    @Test
    void everyValidFlagCombinationLandsOnBothAddressesAndNeverOnLinkLocal() throws IOException {
        try (Netns ns = namespace()) {
            for (int mask = 0; mask < 16; mask++) {
                List<String> flags = new ArrayList<>();
                for (int bit = 0; bit < 4; bit++) {
                    if ((mask & (1 << bit)) != 0) {
                        flags.add(FLAGS.get(bit));
                    }
                }
                if (flags.contains("signal") && flags.contains("fullmesh")) {
                    continue;
                }
                String yaml =
                        "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [" + String.join(", ", flags) + "]\n";
                Run run = apply(ns, yaml);
                assertThat(run.exitCode()).as(flags + ": " + run.stderr()).isZero();
                Map<String, JsonNode> endpoints = endpoints(ns);
                if (flags.isEmpty()) {
                    assertThat(endpoints).as("no flags: no endpoints").isEmpty();
                    continue;
                }
                assertThat(endpoints.keySet())
                        .as(flags.toString())
                        .containsExactlyInAnyOrder("192.0.2.2", "2001:db8::2");
                for (JsonNode endpoint : endpoints.values()) {
                    assertThat(flagsOf(endpoint)).as(flags + " on " + endpoint).isEqualTo(new LinkedHashSet<>(flags));
                    assertThat(endpoint.path("dev").asString()).isEqualTo("eth1");
                }
                Run again = apply(ns, yaml);
                assertThat(again.exitCode()).isZero();
                assertThat(again.stdout()).as("second apply of " + flags).isEqualTo("no changes\n");
            }
        }
    }

    /** Every combination with signal and fullmesh: exit 65, one line per problem, nothing changed. */
    @Test
    void signalWithFullmeshIsRefusedAndNothingChanges() throws IOException {
        try (Netns ns = namespace()) {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "dev", "eth1", "subflow");
            String before = ns.ip("-j", "mptcp", "endpoint", "show");
            for (String flags : List.of(
                    "signal, fullmesh",
                    "signal, subflow, fullmesh",
                    "signal, backup, fullmesh",
                    "signal, subflow, backup, fullmesh")) {
                Run run = apply(ns, "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [" + flags + "]\n");
                assertThat(run.exitCode()).as(flags).isEqualTo(ExitCode.INVALID_INPUT.code());
                assertThat(run.stderr())
                        .as(flags)
                        .matches("mptcpstate: .*:4:20: MPTCP flags mustn't have both signal and fullmesh\n");
                assertThat(run.stdout()).isEmpty();
                assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(before);
            }
        }
    }

    /** apply --dry-run prints what diff prints, exits 2 like it, and writes nothing (as iproute2 reads it). */
    @Test
    void dryRunIsDiff() throws Exception {
        try (Netns ns = namespace()) {
            Netns.MptcpText before = ns.mptcpText();
            Path file = Mptcpstate.stateFile("mptcp:\n  limits: {subflows: 3}\n"
                    + "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n");
            Run dryRun = Mptcpstate.inProcess("apply", "--dry-run", file.toString(), "--netns", ns.name());
            Run diff = Mptcpstate.inProcess("diff", file.toString(), "--netns", ns.name());
            assertThat(dryRun.exitCode()).as(dryRun.stderr()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            assertThat(dryRun.stdout())
                    .contains("+ endpoint 192.0.2.2 on eth1 [subflow]")
                    .isEqualTo(diff.stdout());
            assertThat(dryRun.stderr()).isEqualTo(diff.stderr());
            assertThat(diff.exitCode()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            assertThat(ns.mptcpText()).isEqualTo(before);
        }
    }

    /** A second apply on the same namespace waits for the lock, then fails clearly. */
    @Test
    @SuppressWarnings("try") // the lock is held for its effect on the other process
    void aSecondApplyWaitsForTheLockThenFailsClearly() throws Exception {
        try (Netns ns = namespace()) {
            String before = ns.ip("-j", "mptcp", "endpoint", "show");
            Path file = Mptcpstate.stateFile("interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n");
            Run blocked = org.mptcpstate.netlink.NetworkNamespace.call(ns.path(), () -> {
                try (org.mptcpstate.reconcile.NamespaceLock held =
                        org.mptcpstate.reconcile.NamespaceLock.acquire(java.time.Duration.ZERO)) {
                    return Mptcpstate.jar("apply", file.toString(), "--netns", ns.name(), "--lock-wait", "1");
                }
            });
            assertThat(blocked.exitCode()).isEqualTo(ExitCode.FAILED.code());
            assertThat(blocked.stderr())
                    .startsWith("mptcpstate: another mptcpstate apply holds /run/mptcpstate/net-")
                    .contains(": pid " + ProcessHandle.current().pid() + " (")
                    .contains("gave up after 1 s");
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(before);
            Run free = Mptcpstate.jar("apply", file.toString(), "--netns", ns.name(), "--lock-wait", "1");
            assertThat(free.exitCode()).as(free.stderr()).isZero();
        }
    }

    @Test
    void backupTogglesInPlaceKeepingTheEndpointId() throws IOException {
        try (Netns ns = namespace()) {
            assertThat(apply(ns, "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n")
                            .exitCode())
                    .isZero();
            Map<String, JsonNode> before = endpoints(ns);
            Run run = apply(ns, "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow, backup]\n");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).contains("~ endpoint");
            Map<String, JsonNode> after = endpoints(ns);
            for (String address : List.of("192.0.2.2", "2001:db8::2")) {
                assertThat(after.get(address).path("id").asInt())
                        .isEqualTo(before.get(address).path("id").asInt());
                assertThat(flagsOf(after.get(address))).containsExactly("subflow", "backup");
            }
        }
    }

    @Test
    void limitsAndEnabledReachTheKernel() throws IOException {
        try (Netns ns = namespace()) {
            ns.sysctl("net.mptcp.enabled", "0");
            Run run = apply(ns, "mptcp:\n  enabled: true\n  limits:\n    subflows: 5\n    add-addr-accepted: 3\n");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(ns.ip("mptcp", "limits").trim()).isEqualTo("add_addr_accepted 3 subflows 5");
            assertThat(ns.exec("sysctl", "-n", "net.mptcp.enabled").trim()).isEqualTo("1");
            assertThat(apply(ns, "mptcp:\n  limits:\n    subflows: 5\n").stdout())
                    .isEqualTo("no changes\n");
        }
    }

    @Test
    void diffReportsPendingChangesAndShowOutputFedBackIsInSync() throws IOException {
        try (Netns ns = namespace()) {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "dev", "eth1", "signal");
            ns.ip("mptcp", "endpoint", "add", "198.51.100.2", "port", "8443", "signal");
            Path file = Mptcpstate.stateFile("interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n");
            String before = ns.ip("-j", "mptcp", "endpoint", "show");
            Run diff = Mptcpstate.inProcess("diff", file.toString(), "--netns", ns.name());
            assertThat(diff.exitCode()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            assertThat(diff.stdout())
                    .contains(
                            "- endpoint",
                            "+ endpoint 192.0.2.2 on eth1 [subflow]",
                            "+ endpoint 2001:db8::2 on eth1 [subflow]",
                            "--- current",
                            "+++ desired");
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show"))
                    .as("diff writes nothing")
                    .isEqualTo(before);

            Run show = Mptcpstate.inProcess("show", "--netns", ns.name()).assertOk();
            Run fedBack = Mptcpstate.inProcess(
                    "diff", Mptcpstate.stateFile(show.stdout()).toString(), "--netns", ns.name());
            assertThat(fedBack.exitCode())
                    .as(fedBack.stdout() + fedBack.stderr())
                    .isZero();
            assertThat(fedBack.stdout()).isEqualTo("no changes\n");
            Run json = Mptcpstate.jar("diff", "--json", file.toString(), "--netns", ns.name());
            assertThat(json.exitCode()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            assertThat(Documents.json(json.stdout()).path("changes").size()).isEqualTo(3);
        }
    }

    /** A kernel refusal part-way through a real plan: the namespace is back to its snapshot. */
    @Test
    void aKernelRefusalRollsBackToTheSnapshot() throws IOException {
        try (Netns ns = namespace()) {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "id", "9", "dev", "eth1", "signal");
            ns.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "0");
            String endpointsBefore = ns.ip("-j", "mptcp", "endpoint", "show");
            String limitsBefore = ns.ip("mptcp", "limits");
            // removes endpoint 9 and sets limits, then adds a port endpoint on an address the host does not
            // have: the kernel cannot open its listening socket and refuses
            Run run = apply(
                    ns,
                    "mptcp:\n  limits:\n    subflows: 4\n  endpoints:\n  - address: 203.0.113.50\n"
                            + "    port: 8443\n    flags: [signal]\ninterfaces:\n- name: eth1\n  mptcp:\n"
                            + "    address-flags: [subflow]\n");
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(ExitCode.FAILED.code());
            assertThat(run.stderr()).contains("kernel refused").contains("rolled back");
            assertThat(run.stderr()
                            .lines()
                            .filter(line -> !line.startsWith("mptcpstate: warning: "))
                            .count())
                    .as("one error line besides warnings")
                    .isEqualTo(1);
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(endpointsBefore);
            assertThat(ns.ip("mptcp", "limits")).isEqualTo(limitsBefore);
        }
    }
}
