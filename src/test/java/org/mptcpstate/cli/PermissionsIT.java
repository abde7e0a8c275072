package org.mptcpstate.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built jar run as nobody (no capabilities): show reads the namespace it runs in; every command that writes
 * or subscribes (apply, watch with and without --once, monitor) exits 77 with one line saying root or
 * CAP_NET_ADMIN is needed, inside the namespace ({@code ip netns exec}) and through {@code --netns} (where
 * entering the namespace already needs root); and the namespace's endpoints, limits and net.mptcp.enabled, as
 * iproute2 and sysctl read them, are what they were before.
 */
@Tag("kernel")
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PermissionsIT {
    /** Changes all three: limits, the flags of an endpoint, net.mptcp.enabled; and adds an endpoint. */
    private static final String STATE = """
            mptcp:
              enabled: false
              limits:
                subflows: 5
                add-addr-accepted: 4
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [signal, backup]
            - name: eth2
              mptcp:
                address-flags: [subflow]
            """;

    private static Netns ns;
    private static Path jar;
    private static Path state;

    @BeforeAll
    static void setUp() throws IOException {
        KernelTests.requireRoot();
        ns = Netns.create("perm");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("link", "set", "eth2", "up");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
        ns.ip("addr", "add", "198.51.100.2/24", "dev", "eth2");
        ns.awaitAddressesSettled();
        ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "dev", "eth1", "id", "3", "subflow");
        ns.ip("mptcp", "limits", "set", "subflow", "3", "add_addr_accepted", "2");
        ns.sysctl("net.mptcp.enabled", "1");
        jar = Nobody.readableJar();
        // beside the jar, in a directory nobody can enter
        state = jar.resolveSibling("state.yml");
        Files.writeString(state, STATE);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));
        state.toFile().deleteOnExit();
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private static Netns.MptcpText kernel() {
        return ns.mptcpText();
    }

    /** {@code ip netns exec NAME <nobody> java -jar <jar> args...}: inside the namespace, without privileges. */
    private static Run insideAsNobody(String... args) {
        List<String> prefix = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        prefix.addAll(Nobody.prefix());
        return Mptcpstate.jarVia(prefix, jar, args);
    }

    /** {@code <nobody> java -jar <jar> args... --netns NAME}: mptcpstate itself enters the namespace. */
    private static Run viaNetnsAsNobody(String... args) {
        List<String> command = new ArrayList<>(Arrays.asList(args));
        command.addAll(List.of("--netns", ns.name()));
        return Mptcpstate.jarVia(Nobody.prefix(), jar, command.toArray(String[]::new));
    }

    private static String[] command(String line) {
        return line.replace("STATE", state.toString()).split(" ");
    }

    @Test
    void showWorksInsideTheNamespaceAsNobodyAndPrintsWhatRootSees() {
        Netns.MptcpText before = kernel();
        Run asNobody = insideAsNobody("show").assertOk();
        assertThat(asNobody.stdout())
                .contains("subflows: 3", "add-addr-accepted: 2", "- ip: 192.0.2.2", "- name: eth1");
        Run asRoot = Mptcpstate.inProcess("show", "--netns", ns.name()).assertOk();
        assertThat(asNobody.stdout()).isEqualTo(asRoot.stdout());
        assertThat(kernel()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"apply STATE", "watch STATE --once", "watch STATE", "monitor", "monitor --json"})
    void insideTheNamespaceWritingNeedsCapNetAdmin(String line) {
        Netns.MptcpText before = kernel();
        Run run = insideAsNobody(command(line));
        if (line.endsWith("--json")) {
            // the same refusal as one JSON document on stdout, nothing on stderr
            assertThat(run.exitCode()).isEqualTo(ExitCode.PERMISSION.code());
            assertThat(run.stderr()).isEmpty();
            tools.jackson.databind.JsonNode error =
                    org.mptcpstate.testing.Documents.json(run.stdout()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("permission-denied");
            assertThat(error.path("message").asString())
                    .isEqualTo("joining the mptcp_pm_events multicast group needs root or CAP_NET_ADMIN");
            assertThat(kernel()).isEqualTo(before);
            return;
        }
        assertRefused(run);
        if (line.startsWith("monitor")) {
            assertThat(lastLine(run))
                    .isEqualTo("mptcpstate: joining the mptcp_pm_events multicast group needs root or CAP_NET_ADMIN");
        } else {
            // the lock (watch: its claim) is taken before anything is written, and only root may open it
            assertThat(lastLine(run))
                    .startsWith("mptcpstate: applying needs root with CAP_NET_ADMIN (cannot open /run/mptcpstate");
        }
        assertThat(kernel()).as("the namespace after `%s` as nobody", line).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"apply STATE", "watch STATE --once", "watch STATE", "monitor", "show", "diff STATE"})
    void enteringTheNamespaceNeedsRoot(String line) {
        Netns.MptcpText before = kernel();
        Run run = viaNetnsAsNobody(command(line));
        assertRefused(run);
        assertThat(lastLine(run))
                .startsWith("mptcpstate: setns(" + ns.path() + ", CLONE_NEWNET) failed")
                .endsWith("entering another network namespace needs root (CAP_SYS_ADMIN)");
        assertThat(kernel())
                .as("the namespace after `%s --netns` as nobody", line)
                .isEqualTo(before);
    }

    @Test
    void diffInsideTheNamespaceNeedsNoPrivilegeAndChangesNothing() {
        Netns.MptcpText before = kernel();
        Run run = insideAsNobody("diff", state.toString());
        assertThat(run.exitCode())
                .as("exit code (stderr: %s)", run.stderr())
                .isEqualTo(ExitCode.CHANGES_PENDING.code());
        assertThat(run.stdout()).contains("~ limits: subflows 3 -> 5");
        assertThat(kernel()).isEqualTo(before);
    }

    /**
     * Root without CAP_NET_ADMIN (as a unit with a narrow capability set would run it): root may take the lock
     * and write net.mptcp.enabled (the sysctl file is root's), the kernel then refuses the limits; apply rolls
     * back the one change it made and exits 77, not 1.
     */
    @Test
    void rootWithoutCapNetAdminIsRefusedAndRolledBack() {
        Netns.MptcpText before = kernel();
        List<String> prefix = List.of(
                "ip",
                "netns",
                "exec",
                ns.name(),
                "setpriv",
                "--bounding-set=-net_admin",
                "--inh-caps=-net_admin",
                "--");
        Run run = Mptcpstate.jarVia(prefix, jar, "apply", state.toString());
        assertThat(run.exitCode()).as("exit code (stderr: %s)", run.stderr()).isEqualTo(ExitCode.PERMISSION.code());
        // the one change made, printed as it was made, then rolled back
        assertThat(run.stdout()).isEqualTo("~ mptcp enabled: true -> false\n");
        List<String> problems = run.stderr()
                .lines()
                .filter(l -> !l.startsWith("mptcpstate: warning: "))
                .toList();
        assertThat(problems).as(run.stderr()).hasSize(1);
        assertThat(problems.get(0))
                .startsWith("mptcpstate: failed at \"~ limits")
                .contains("needs root or CAP_NET_ADMIN", "rolled back 1 change: the namespace is as it was before");
        assertThat(kernel()).isEqualTo(before);
    }

    /**
     * A user other than root with CAP_NET_ADMIN (ambient, as setpriv gives it): the kernel takes its writes, as
     * iproute2 shows with the same privileges, but the namespace lock is root's alone, so apply refuses with exit
     * 77 and says exactly that, having changed nothing.
     */
    @Test
    void aUserWithCapNetAdminButNotRootIsToldThatTheLockIsWhatItLacks() {
        List<String> prefix = List.of(
                "ip",
                "netns",
                "exec",
                ns.name(),
                "setpriv",
                "--reuid=" + Nobody.id("-u"),
                "--regid=" + Nobody.id("-g"),
                "--clear-groups",
                "--inh-caps=+net_admin",
                "--ambient-caps=+net_admin",
                "--");
        // the oracle: with these privileges the kernel takes a write (the limits), put back at once
        List<String> limits = new ArrayList<>(prefix);
        limits.addAll(List.of("ip", "mptcp", "limits", "set", "subflows", "4", "add_addr_accepted", "2"));
        Netns.run(limits);
        assertThat(ns.ip("mptcp", "limits")).contains("subflows 4");
        ns.ip("mptcp", "limits", "set", "subflow", "3", "add_addr_accepted", "2");
        Netns.MptcpText before = kernel();

        Run run = Mptcpstate.jarVia(prefix, jar, "apply", state.toString());
        assertRefused(run);
        assertThat(lastLine(run))
                .startsWith("mptcpstate: applying as uid " + Nobody.id("-u")
                        + ": CAP_NET_ADMIN is enough for the kernel's side, but the namespace lock /run/mptcpstate")
                .endsWith("is root's alone (so that no user can hold it): run as root (a unit may keep root with"
                        + " CAP_NET_ADMIN as its only capability, as mptcpstate.service does)");
        assertThat(kernel()).isEqualTo(before);
    }

    /**
     * Exit 77, nothing on stdout, and the failure as the last line of stderr, one line, no stack trace. (watch
     * without --once says first that it is watching: a line before the failure.)
     */
    private static void assertRefused(Run run) {
        assertThat(run.exitCode()).as("exit code (stderr: %s)", run.stderr()).isEqualTo(ExitCode.PERMISSION.code());
        assertThat(run.stdout()).as("stdout").isEmpty();
        assertThat(run.stderr()).endsWith("\n").doesNotContain("\tat ", "Exception", "Caused by", "internal error");
        assertThat(run.stderr().lines()).allMatch(l -> l.startsWith("mptcpstate: "));
        assertThat(run.stderr()
                        .lines()
                        .filter(l -> !l.startsWith("mptcpstate: watching "))
                        .count())
                .as("stderr apart from watch's start line: %s", run.stderr())
                .isEqualTo(1);
    }

    private static String lastLine(Run run) {
        List<String> lines = run.stderr().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
