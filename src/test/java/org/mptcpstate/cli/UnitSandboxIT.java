package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.persist.SystemdUnit;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unit's ProtectKernelTunables=yes with the MPTCP sysctls re-allowed, as systemd builds it (systemd.exec(5):
 * /proc/sys bound read-only, each ReadWritePaths= below it bound read-write after it), emulated in a private
 * mount namespace inside a test network namespace, since no systemd runs as PID 1 here: apply still sets
 * net.mptcp.enabled and its endpoints, as sysctl and iproute2 read them, while kernel.core_pattern and the
 * namespace's rp_filter cannot be written (each is written its own value back, so a failure of the sandbox
 * changes nothing).
 */
@Tag("kernel")
class UnitSandboxIT {
    @Test
    void applyWorksWithOnlyTheSysctlsTheUnitLeavesWritable() throws Exception {
        String unit = SystemdUnit.text(Path.of("/usr/bin/mptcpstate"), "/etc/mptcpstate/state.yml");
        assertThat(unit).contains("\nProtectKernelTunables=yes\n");
        List<String> writable = new ArrayList<>();
        for (String line : unit.lines().toList()) {
            if (line.startsWith("ReadWritePaths=")) {
                for (String path : line.substring("ReadWritePaths=".length()).split(" ")) {
                    String plain = path.startsWith("-") ? path.substring(1) : path;
                    if (plain.startsWith("/proc/sys/")) {
                        writable.add(plain);
                    }
                }
            }
        }
        assertThat(writable).containsExactly("/proc/sys/net/mptcp");
        StringBuilder script =
                new StringBuilder("mount --bind /proc/sys /proc/sys" + " && mount -o remount,bind,ro /proc/sys");
        for (String path : writable) {
            script.append(" && mount --bind ")
                    .append(path)
                    .append(' ')
                    .append(path)
                    .append(" && mount -o remount,bind,rw ")
                    .append(path);
        }
        script.append(" && { v=$(cat /proc/sys/kernel/core_pattern); echo \"$v\" > /proc/sys/kernel/core_pattern"
                + " || echo core_pattern read-only; }");
        script.append(" && { v=$(cat /proc/sys/net/ipv4/conf/all/rp_filter); echo \"$v\" >"
                + " /proc/sys/net/ipv4/conf/all/rp_filter || echo rp_filter read-only; }");
        script.append(" && exec \"$0\" -jar \"$1\" apply \"$2\"");
        try (Netns ns = Netns.ipv4VethPair("sandbox", 1)) {
            ns.sysctl("net.mptcp.enabled", "1");
            Path file = Mptcpstate.stateFile(
                    "mptcp:\n  enabled: false\ninterfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n");
            Netns.Result run = Netns.runAllowingFailure(List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns.name(),
                    "unshare",
                    "-m",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    script.toString(),
                    Mptcpstate.java(),
                    Mptcpstate.jar().toString(),
                    file.toString()));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout())
                    .startsWith("core_pattern read-only\nrp_filter read-only\n")
                    .endsWith("applied 2 changes, verified\n");
            assertThat(run.stderr()).contains("Read-only file system");
            assertThat(ns.exec("sysctl", "-n", "net.mptcp.enabled").trim()).isEqualTo("0");
            assertThat(ns.ip("mptcp", "endpoint", "show")).contains("192.0.2.1 id 1 subflow dev eth1");
        }
    }
}
