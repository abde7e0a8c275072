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
        String name = "mst-" + prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        run(List.of("ip", "netns", "add", name));
        return new Netns(name);
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
                if ("UP".equals(link.path("operstate").asString()) && !link.path("addr_info").isEmpty()) {
                    for (JsonNode address : link.path("addr_info")) {
                        pending.add(link.path("ifname").asString() + " " + address.path("local").asString());
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
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ": "
                    + result.stderr());
        }
        return result.stdout();
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

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
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
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
    public record MptcpText(String endpoints, String limits, String enabled) {
    }

    public MptcpText mptcpText() {
        return new MptcpText(ip("-j", "mptcp", "endpoint", "show"), ip("mptcp", "limits"),
                exec("sysctl", "-n", "net.mptcp.enabled"));
    }
}
