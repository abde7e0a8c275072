package org.mptcpstate.testing;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test creates and deletes itself, driven with iproute2 (`ip -n NAME ...`), which is
 * also the oracle the tests compare mptcpstate against. Never touches the machine's own namespace.
 */
public final class Netns implements AutoCloseable {
    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates a fresh namespace named {@code mst-<prefix>-<random>}; requires root. */
    public static Netns create(String prefix) {
        KernelTests.requireRoot();
        String name = "mst-" + prefix + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        run(List.of("ip", "netns", "add", name));
        return new Netns(name);
    }

    /**
     * A namespace with a veth pair eth1/eth2, both up, IPv6 off (no link-local addresses, so no warnings about
     * them), and {@code addressesPerSide} IPv4 addresses on each: 192.0.2.1.. on eth1, 198.51.100.1.. on eth2.
     */
    public static Netns ipv4VethPair(String prefix, int addressesPerSide) {
        Netns ns = create(prefix);
        ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("link", "set", "eth2", "up");
        for (int i = 1; i <= addressesPerSide; i++) {
            ns.ip("addr", "add", "192.0.2." + i + "/24", "dev", "eth1");
            ns.ip("addr", "add", "198.51.100." + i + "/24", "dev", "eth2");
        }
        ns.awaitAddressesSettled();
        return ns;
    }

    /**
     * Two paths between two namespaces, as a multi-homed client and server have: veth pairs c0-s0 (client
     * 192.0.2.1, server 192.0.2.2) and c1-s1 (198.51.100.1, 198.51.100.2), every link up, lo included.
     */
    public static void twoPaths(Netns client, Netns server) {
        client.ip("link", "add", "c0", "type", "veth", "peer", "name", "s0", "netns", server.name());
        client.ip("link", "add", "c1", "type", "veth", "peer", "name", "s1", "netns", server.name());
        client.ip("addr", "add", "192.0.2.1/24", "dev", "c0");
        client.ip("addr", "add", "198.51.100.1/24", "dev", "c1");
        server.ip("addr", "add", "192.0.2.2/24", "dev", "s0");
        server.ip("addr", "add", "198.51.100.2/24", "dev", "s1");
        for (Netns ns : List.of(client, server)) {
            ns.ip("link", "set", "lo", "up");
        }
        client.ip("link", "set", "c0", "up");
        client.ip("link", "set", "c1", "up");
        server.ip("link", "set", "s0", "up");
        server.ip("link", "set", "s1", "up");
    }

    /** No endpoints and limits subflows 1, add_addr_accepted 0, set with iproute2. */
    public void resetMptcp() {
        ip("mptcp", "endpoint", "flush");
        ip("mptcp", "limits", "set", "subflows", "1", "add_addr_accepted", "0");
    }

    public String name() {
        return name;
    }

    /** /run/netns/NAME, as mptcpstate's --netns resolves it. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** Runs {@code ip -n NAME args...} and returns its stdout; fails the test on a non-zero exit. */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Runs a command inside the namespace (`ip netns exec NAME ...`). */
    public String exec(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Writes a sysctl of this namespace through /proc, from inside it. */
    public void sysctl(String key, String value) {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * Waits until IPv6 duplicate address detection is over on every interface that is up (no tentative address
     * left there), so that two reads of the namespace see the same address flags. Addresses on links without
     * carrier stay tentative; they are stable and not waited for.
     */
    public void awaitAddressesSettled() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> pending = new ArrayList<>();
            for (JsonNode link : Documents.elements(Documents.json(ip("-j", "addr", "show", "tentative")))) {
                if ("UP".equals(link.path("operstate").asString())
                        && !link.path("addr_info").isEmpty()) {
                    for (JsonNode address : link.path("addr_info")) {
                        pending.add(link.path("ifname").asString() + " "
                                + address.path("local").asString());
                    }
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("addresses still tentative after 30 s in " + name + ": " + pending);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static String run(List<String> command) {
        Result result = runAllowingFailure(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
        }
        return result.stdout();
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    public static Result runAllowingFailure(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(
                    process.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    @Override
    public void close() {
        runAllowingFailure(List.of("ip", "netns", "del", name));
    }

    /** What iproute2 and sysctl say of this namespace's MPTCP state, as text: compared byte for byte. */
    public record MptcpText(String endpoints, String limits, String enabled) {}

    public MptcpText mptcpText() {
        return new MptcpText(
                ip("-j", "mptcp", "endpoint", "show"),
                ip("mptcp", "limits"),
                exec("sysctl", "-n", "net.mptcp.enabled"));
    }
}
