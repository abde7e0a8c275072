package org.mptcpstate.ansible;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mptcpstate.testing.Ansible;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.IprouteOracle;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of five hosts, each a network namespace this test makes (documentation addresses only), driven by
 * ansible-playbook through the collection's rollout playbook (ansible/playbooks/rollout.yml) and the real
 * mptcpstate of this checkout: h1 to h4 with the local connection and the module's netns option, s1 over SSH
 * to an sshd running inside its namespace (the module then manages the namespace it runs in, as on a real
 * host). Every step is judged with the json callback's stats and, on the kernel, with iproute2. The steps
 * build on each other, in order.
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnsibleFleetIT {
    /** h1 to h4 with the local connection and the module's netns; s1 over SSH to an sshd in its namespace. */
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4", "s1");

    private static final String SSH_HOST = "s1";
    private static final String TASK = "Apply the MPTCP state";

    private final Map<String, Netns> fleet = new LinkedHashMap<>();
    private Path dir;
    private Ansible ansible;
    private Path inventory;
    private Path playbook;
    private Path calls;
    private Process sshd;

    @BeforeAll
    void fleet() throws IOException {
        KernelTests.requireRoot();
        dir = Files.createTempDirectory("mptcpstate-fleet-");
        ansible = Ansible.in(dir);
        for (String host : HOSTS) {
            int n = HOSTS.indexOf(host) + 1;
            Netns ns = Netns.create("fleet" + n);
            fleet.put(host, ns);
            ns.ip("link", "set", "lo", "up");
            ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
            ns.ip("addr", "add", "192.0.2." + n + "/24", "dev", "eth0");
            ns.ip("addr", "add", "2001:db8:" + n + "::1/64", "dev", "eth0", "nodad");
            ns.ip("addr", "add", "198.51.100." + n + "/24", "dev", "eth1");
            ns.ip("link", "set", "eth0", "up");
            ns.ip("link", "set", "eth1", "up");
            ns.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "0");
            ns.awaitAddressesSettled();
        }
        startSshd();
        // The module's executable: the checkout's launcher behind a wrapper that logs each call (its arguments
        // and what came on stdin), so that the test can count mptcpstate processes per host.
        calls = dir.resolve("calls");
        Files.createDirectories(calls);
        Path wrapper = dir.resolve("mptcpstate");
        Files.writeString(
                wrapper,
                "#!/bin/sh\n"
                        + "log=$(mktemp " + calls + "/call.XXXXXX)\n"
                        + "printf '%s %s\\n' \"$(readlink /proc/self/ns/net)\" \"$*\" >\"$log\"\n"
                        + "case \" $* \" in *' - '*) cat >\"$log.stdin\" ;; *) : >\"$log.stdin\" ;; esac\n"
                        + "exec " + Ansible.CHECKOUT.resolve("mptcpstate") + " \"$@\" <\"$log.stdin\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        inventory = writeInventory("inventory.yml", null);
        playbook = Ansible.CHECKOUT.resolve("ansible/playbooks/rollout.yml");
    }

    /**
     * The inventory: every host in its namespace, the state from group vars, subflows templated with
     * {@code | int}, which hands the module the string "4". {@code brokenHost}, when not null, also gets a
     * listening endpoint on an address it does not have: the plan is fine, the kernel refuses it part-way.
     */
    private Path writeInventory(String name, String brokenHost) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append("all:\n  hosts:\n");
        for (Map.Entry<String, Netns> host : fleet.entrySet()) {
            text.append("    ").append(host.getKey()).append(":\n");
            if (host.getKey().equals(SSH_HOST)) {
                // the module runs inside the namespace, as on a real host: no netns
                text.append("      ansible_connection: ssh\n");
                text.append("      ansible_host: 192.0.2.")
                        .append(HOSTS.indexOf(SSH_HOST) + 1)
                        .append('\n');
                text.append("      ansible_user: root\n");
                text.append("      ansible_pipelining: true\n");
                text.append("      ansible_ssh_private_key_file: ")
                        .append(dir.resolve("ssh/client"))
                        .append('\n');
                text.append("      ansible_ssh_args: -o ControlMaster=no\n");
                text.append("      ansible_ssh_common_args: >-\n");
                text.append("        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR\n");
                text.append("        -o ProxyCommand=\"ip netns exec ")
                        .append(host.getValue().name())
                        .append(" nc %h %p\"\n");
            } else {
                text.append("      netns: ").append(host.getValue().name()).append('\n');
            }
            if (host.getKey().equals(brokenHost)) {
                text.append("""
                              mptcp_state:
                                mptcp:
                                  enabled: true
                                  limits: {subflows: "{{ mptcp_subflows | int }}", add-addr-accepted: 2}
                                  endpoints:
                                    - {address: 203.0.113.50, port: 8443, flags: [signal]}
                                interfaces: "{{ mptcp_interfaces }}"
                        """);
            }
        }
        text.append("  vars:\n");
        text.append("    ansible_connection: local\n"); // s1: ssh
        text.append("    ansible_python_interpreter: ").append(Ansible.PYTHON).append('\n');
        text.append("    mptcpstate_executable: ")
                .append(dir.resolve("mptcpstate"))
                .append('\n');
        text.append("""
                    mptcp_subflows: 4
                    mptcp_interfaces:
                      - name: eth0
                        mptcp: {address-flags: [subflow]}
                      - name: eth1
                        mptcp: {address-flags: [signal]}
                    mptcp_state:
                      mptcp:
                        enabled: true
                        limits:
                          subflows: "{{ mptcp_subflows | int }}"
                          add-addr-accepted: 2
                      interfaces: "{{ mptcp_interfaces }}"
                """);
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /**
     * An sshd inside s1's namespace, listening on s1's address only, with a throwaway host key and root's login
     * by a throwaway client key; the client reaches it through `ip netns exec NS nc` (the machine's own
     * namespace is not involved). sshd needs its privilege separation directory, /run/sshd.
     */
    private void startSshd() throws IOException {
        Path ssh = Files.createDirectories(dir.resolve("ssh"));
        Netns.run(List.of(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                ssh.resolve("host").toString()));
        Netns.run(List.of(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                ssh.resolve("client").toString()));
        Files.copy(ssh.resolve("client.pub"), ssh.resolve("authorized_keys"));
        Files.writeString(
                ssh.resolve("sshd_config"),
                "ListenAddress 192.0.2." + (HOSTS.indexOf(SSH_HOST) + 1) + ":22\n"
                        + "HostKey " + ssh.resolve("host") + "\n"
                        + "AuthorizedKeysFile " + ssh.resolve("authorized_keys") + "\n"
                        + "PidFile none\n"
                        + "PermitRootLogin prohibit-password\n"
                        + "PasswordAuthentication no\n"
                        + "KbdInteractiveAuthentication no\n"
                        + "UsePAM no\n"
                        + "StrictModes no\n");
        Files.createDirectories(Path.of("/run/sshd"));
        // in the foreground (-D), as this test's child: stopped in removeFleet whatever happens in between
        sshd = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        fleet.get(SSH_HOST).name(),
                        "/usr/sbin/sshd",
                        "-D",
                        "-f",
                        ssh.resolve("sshd_config").toString(),
                        "-E",
                        ssh.resolve("sshd.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ssh.resolve("sshd.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (fleet.get(SSH_HOST).exec("ss", "-Hltn", "sport = :22").isBlank()) {
            if (!sshd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("sshd did not start: " + Files.readString(ssh.resolve("sshd.log"))
                        + Files.readString(ssh.resolve("sshd.out")));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @AfterAll
    void removeFleet() throws IOException {
        if (sshd != null) {
            sshd.destroy();
            try {
                sshd.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sshd.destroyForcibly();
        }
        for (Netns ns : fleet.values()) {
            ns.close();
        }
        if (dir != null) {
            Netns.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    /** Runs the rollout playbook; the calls log starts empty. */
    private Ansible.Play play(Path inventoryFile, String... args) throws IOException {
        Netns.run(List.of("find", calls.toString(), "-mindepth", "1", "-delete"));
        return ansible.playbook(inventoryFile, playbook, args);
    }

    /**
     * How many times mptcpstate ran per host in the last play: the namespace of --netns, or (over SSH) the
     * namespace the wrapper ran in.
     */
    private Map<String, Integer> callsPerHost() throws IOException {
        Map<String, String> hostOf = new TreeMap<>();
        for (Map.Entry<String, Netns> host : fleet.entrySet()) {
            hostOf.put(host.getValue().name(), host.getKey());
            hostOf.put(
                    Netns.run(List.of(
                                    "stat",
                                    "-L",
                                    "-c",
                                    "net:[%i]",
                                    host.getValue().path().toString()))
                            .trim(),
                    host.getKey());
        }
        Map<String, Integer> counts = new TreeMap<>();
        try (var files = Files.list(calls)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.toString().endsWith(".stdin")) {
                    continue;
                }
                List<String> words = List.of(Files.readString(file).trim().split(" "));
                String ns = words.contains("--netns") ? words.get(words.indexOf("--netns") + 1) : words.get(0);
                counts.merge(hostOf.getOrDefault(ns, ns), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** What every namespace holds, as iproute2 prints it. */
    private Map<String, Netns.MptcpText> kernel() {
        Map<String, Netns.MptcpText> state = new LinkedHashMap<>();
        for (Map.Entry<String, Netns> host : fleet.entrySet()) {
            state.put(host.getKey(), host.getValue().mptcpText());
        }
        return state;
    }

    private static Map<String, Integer> everyHostOnce() {
        Map<String, Integer> once = new TreeMap<>();
        for (String host : HOSTS) {
            once.put(host, 1);
        }
        return once;
    }

    /** The fleet's desired state, as iproute2 shows it. */
    private void assertApplied(String host, int subflows) {
        Netns ns = fleet.get(host);
        int n = HOSTS.indexOf(host) + 1;
        assertThat(IprouteOracle.limits(ns))
                .as("limits of %s", host)
                .isEqualTo(Map.of("subflows", subflows, "add_addr_accepted", 2));
        List<String> endpoints = new ArrayList<>();
        for (IprouteOracle.Endpoint endpoint : IprouteOracle.endpoints(ns)) {
            endpoints.add(endpoint.address() + " " + endpoint.dev() + " " + endpoint.flags());
        }
        assertThat(endpoints)
                .as("endpoints of %s", host)
                .containsExactlyInAnyOrder(
                        "192.0.2." + n + " eth0 [subflow]",
                        "2001:db8:" + n + "::1 eth0 [subflow]",
                        "198.51.100." + n + " eth1 [signal]");
    }

    /**
     * Check mode with diff: every host reports a change, the diff shows the kernel's limits before and the
     * planned ones after, the link-local address's warning comes with its code, one mptcpstate process per
     * host (with --dry-run, and the templated limit on its stdin as the string "4"), and the kernel is untouched.
     */
    @Test
    @Order(1)
    void checkModeReportsEveryHostAndWritesNothing() throws IOException {
        Map<String, Netns.MptcpText> before = kernel();

        Ansible.Play play = play(inventory, "--check", "--diff");

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.changedHosts()).as("%s", play).containsExactlyElementsOf(HOSTS);
        assertThat(kernel()).as("the kernel after check mode").isEqualTo(before);
        assertThat(callsPerHost()).isEqualTo(everyHostOnce());
        for (Path file : (Iterable<Path>) Files.list(calls)::iterator) {
            if (file.toString().endsWith(".stdin")) {
                JsonNode config = Documents.json(Files.readString(file));
                assertThat(config.path("mptcp").path("limits").path("subflows").isString())
                        .as("templating hands mptcpstate the string \"4\": %s", config)
                        .isTrue();
            } else {
                assertThat(Files.readString(file)).contains("apply --json --dry-run ");
            }
        }
        JsonNode h2 = play.result(TASK, "h2");
        assertThat(h2.path("diff").path("before_header").asString())
                .endsWith(fleet.get("h2").name() + " (kernel)");
        assertThat(h2.path("diff").path("after_header").asString())
                .endsWith(fleet.get("h2").name() + " (planned)");
        assertThat(h2.path("diff").path("before").asString()).contains("subflows: 2\n");
        assertThat(h2.path("diff").path("after").asString()).contains("subflows: 4\n");
        assertThat(h2.path("changes").toString()).contains("~ limits: subflows 2 -> 4");
        assertThat(h2.has("rc")).as("no rc on success: %s", h2).isFalse();
        assertThat(h2.path("warning_details").toString()).contains("\"code\":\"link-local-skipped\"");
        assertThat(h2.path("warnings").toString()).contains("[link-local-skipped]");
    }

    /**
     * Apply: every host changed and verified, one process each, and iproute2 shows the state on every host;
     * warnings whose code is suppressed are returned but not shown.
     */
    @Test
    @Order(2)
    void applyChangesEveryHost() throws IOException {
        Ansible.Play play = play(
                inventory,
                "-e",
                "{\"rollout_batch\": 5, " + "\"mptcpstate_suppress_warnings\": [\"link-local-skipped\"]}");

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.changedHosts()).as("%s", play).containsExactlyElementsOf(HOSTS);
        assertThat(callsPerHost()).isEqualTo(everyHostOnce());
        for (String host : HOSTS) {
            assertApplied(host, 4);
            JsonNode result = play.result(TASK, host);
            assertThat(result.path("verified").asBoolean()).as("%s", result).isTrue();
            assertThat(result.has("warnings")).as("suppressed: %s", result).isFalse();
            assertThat(result.path("warning_details").toString()).contains("link-local-skipped");
        }
    }

    /** A rerun changes nothing anywhere (changed=0 on every host) and still runs one process per host. */
    @Test
    @Order(3)
    void rerunChangesNothing() throws IOException {
        Map<String, Netns.MptcpText> before = kernel();

        Ansible.Play play = play(inventory);

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.hosts()).containsExactlyElementsOf(HOSTS);
        assertThat(play.changedHosts()).as("%s", play).isEmpty();
        assertThat(callsPerHost()).isEqualTo(everyHostOnce());
        assertThat(kernel()).isEqualTo(before);
    }

    /** Drift made by hand on h2 (iproute2) is reported on h2 alone in check mode, and left in place. */
    @Test
    @Order(4)
    void driftOnOneHostIsReportedOnThatHostOnly() throws IOException {
        Netns h2 = fleet.get("h2");
        h2.ip("mptcp", "limits", "set", "subflows", "1", "add_addr_accepted", "2");
        h2.ip(
                "mptcp",
                "endpoint",
                "delete",
                "id",
                String.valueOf(IprouteOracle.endpoints(h2).get(0).id()));
        Map<String, Netns.MptcpText> drifted = kernel();

        Ansible.Play play = play(inventory, "--check", "--diff");

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.changedHosts()).as("%s", play).containsExactly("h2");
        assertThat(play.result(TASK, "h2").path("changes").toString()).contains("subflows 1 -> 4");
        assertThat(kernel()).as("check mode left the drift in place").isEqualTo(drifted);
    }

    /** Apply fixes the drift on h2 and changes nothing elsewhere. */
    @Test
    @Order(5)
    void applyFixesTheDrift() throws IOException {
        Ansible.Play play = play(inventory);

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.changedHosts()).as("%s", play).containsExactly("h2");
        for (String host : HOSTS) {
            assertApplied(host, 4);
        }
    }

    /**
     * A state mptcpstate refuses (subflows 9, the kernel's maximum is 8) fails every host's task with the error's
     * code and message, the problem at its line and column, no rollback needed, and the kernel untouched.
     */
    @Test
    @Order(6)
    void anInvalidStateFailsWithTheProblemAndChangesNothing() throws IOException {
        Map<String, Netns.MptcpText> before = kernel();

        Ansible.Play play = play(inventory, "-e", "mptcp_subflows=9", "-e", "rollout_batch=5");

        assertThat(play.exitCode()).as("%s", play).isEqualTo(2);
        assertThat(play.hosts()).containsExactlyElementsOf(HOSTS);
        for (String host : HOSTS) {
            JsonNode result = play.result(TASK, host);
            assertThat(result.path("failed").asBoolean()).as("%s", result).isTrue();
            assertThat(result.path("msg").asString())
                    .matches("mptcpstate: -:\\d+:\\d+: subflows must be from 0 to 8, got 9");
            assertThat(result.path("error").path("code").asString()).isEqualTo("invalid-input");
            assertThat(result.path("problems").get(0).path("line").asInt()).isPositive();
            assertThat(result.path("rc").asInt()).isEqualTo(65);
            assertThat(result.has("rolled_back")).isFalse();
        }
        assertThat(kernel()).isEqualTo(before);
    }

    /**
     * A rollout of subflows 6, one host per batch, where h3's kernel refuses its listening endpoint part-way:
     * h1 and h2 are changed, h3's task fails with mptcpstate's error and rolled_back, h3's kernel is as it was
     * before the play (iproute2's output byte for byte), and h4 and s1 are never run (absent from the stats, no
     * mptcpstate process for them, their kernels unchanged).
     */
    @Test
    @Order(7)
    void aSerialRolloutStopsAtTheHostWhoseApplyFailsAndThatHostIsRolledBack() throws IOException {
        Path broken = writeInventory("rollout.yml", "h3");
        Map<String, Netns.MptcpText> before = kernel();

        Ansible.Play play = play(broken, "-e", "mptcp_subflows=6", "-e", "rollout_batch=1");

        assertThat(play.exitCode())
                .as("ansible-playbook's exit code for a failed host: %s", play)
                .isEqualTo(2);
        assertThat(play.hosts()).as("%s", play).containsExactly("h1", "h2", "h3");
        assertThat(play.changedHosts()).containsExactly("h1", "h2");
        assertThat(play.stats("h3").path("failures").asInt()).isEqualTo(1);
        JsonNode h3 = play.result(TASK, "h3");
        assertThat(h3.path("failed").asBoolean()).isTrue();
        assertThat(h3.path("rolled_back").asBoolean()).as("%s", h3).isTrue();
        assertThat(h3.path("msg").asString()).startsWith("mptcpstate: ").contains("203.0.113.50");
        assertThat(h3.path("error").path("code").asString()).isNotEmpty();
        assertApplied("h1", 6);
        assertApplied("h2", 6);
        assertThat(fleet.get("h3").mptcpText()).as("h3 rolled back").isEqualTo(before.get("h3"));
        assertThat(fleet.get("h4").mptcpText()).as("h4 never touched").isEqualTo(before.get("h4"));
        assertThat(fleet.get("s1").mptcpText()).as("s1 never touched").isEqualTo(before.get("s1"));
        assertThat(callsPerHost()).isEqualTo(Map.of("h1", 1, "h2", 1, "h3", 1));
    }
}
