package org.mptcpstate.kernel;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.NetworkNamespace;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.testing.IprouteOracle;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel contract against the real kernel through {@link NetlinkKernel}: every test gets a fresh namespace
 * laid out by {@link ContractNamespace#build} and runs its kernel calls on a thread inside it
 * ({@link NetworkNamespace#call}). After every write, what the kernel reported is compared with what iproute2
 * ({@code ip -j mptcp endpoint show}, {@code ip mptcp limits}) and sysctl(8) say: an oracle this project did not
 * write.
 */
@Tag("kernel")
class NetlinkKernelContractIT extends MptcpKernelContract {
    private Netns ns;

    @Override
    protected void withFreshNamespace(Body body) throws Exception {
        try (Netns created = Netns.create("kc")) {
            ns = created;
            ContractNamespace.build(created);
            NetworkNamespace.call(created.path(), () -> {
                try (NetlinkKernel kernel = NetlinkKernel.open()) {
                    body.run(kernel);
                }
                return null;
            });
        } finally {
            ns = null;
        }
    }

    /** An endpoint in terms both sides can state: address bytes in hex, flag names, device name. */
    private record Seen(int id, String address, int port, Set<String> flags, String dev) {}

    @Override
    protected void crossCheck(Snapshot reported) {
        List<Seen> iproute = new ArrayList<>();
        for (IprouteOracle.Endpoint e : IprouteOracle.endpoints(ns)) {
            iproute.add(new Seen(
                    e.id(),
                    hex(ContractNamespace.ip(e.address())),
                    e.port() == null ? 0 : e.port(),
                    new TreeSet<>(e.flags()),
                    e.dev()));
        }
        List<Seen> ours = new ArrayList<>();
        for (KernelEndpoint e : reported.endpoints()) {
            ours.add(new Seen(
                    e.id(),
                    hex(e.address()),
                    e.port(),
                    new TreeSet<>(e.flags().names()),
                    e.interfaceIndex() == 0 ? null : deviceName(reported, e.interfaceIndex())));
        }
        assertThat(ours)
                .as("endpoints: NetlinkKernel vs ip -j mptcp endpoint show")
                .isEqualTo(iproute);

        Map<String, Integer> limits = IprouteOracle.limits(ns);
        assertThat(reported.limits().subflows())
                .as("subflows vs ip mptcp limits")
                .isEqualTo(limits.get("subflows"));
        assertThat(reported.limits().addAddrAccepted())
                .as("add_addr_accepted vs ip mptcp limits")
                .isEqualTo(limits.get("add_addr_accepted"));

        String enabled = ns.exec("sysctl", "-n", "net.mptcp.enabled").trim();
        assertThat(reported.sysctls().enabled() ? "1" : "0")
                .as("net.mptcp.enabled vs sysctl -n")
                .isEqualTo(enabled);
    }

    /** iproute2 prints a device by name, or as if&lt;index&gt; when no link has that index. */
    private static String deviceName(Snapshot snapshot, int index) {
        return snapshot.links().stream()
                .filter(link -> link.index() == index)
                .map(Link::name)
                .findFirst()
                .orElse("if" + index);
    }

    private static String hex(InetAddress address) {
        return HexFormat.of().formatHex(address.getAddress());
    }

    // ---------------------------------------------------------------- what only the real kernel has

    /** The fake is handed ContractNamespace's description of the layout; this is what the kernel really shows. */
    @Test
    void layoutMatchesTheFixture() throws Exception {
        withFreshNamespace(kernel -> {
            Snapshot real = kernel.query();
            assertThat(real.links())
                    .extracting(Link::index, Link::name, Link::loopback, Link::up)
                    .containsExactlyElementsOf(ContractNamespace.links().stream()
                            .map(l -> org.assertj.core.groups.Tuple.tuple(l.index(), l.name(), l.loopback(), l.up()))
                            .toList());
            assertThat(real.addresses())
                    .extracting(
                            LinkAddress::interfaceIndex,
                            LinkAddress::address,
                            LinkAddress::prefixLength,
                            LinkAddress::scope)
                    .containsExactlyInAnyOrderElementsOf(ContractNamespace.addresses().stream()
                            .map(a -> org.assertj.core.groups.Tuple.tuple(
                                    a.interfaceIndex(), a.address(), a.prefixLength(), a.scope()))
                            .toList());
            assertThat(real.addresses())
                    .as("no address is still tentative")
                    .noneMatch(a -> a.has(LinkAddress.TENTATIVE));
            assertThat(real.defaultRoutes()).isEqualTo(ContractNamespace.defaultRoutes());
        });
    }

    /** A NetlinkKernel's sockets and /proc/sys files must be of one namespace: other threads are turned away. */
    @Test
    void aNetlinkKernelServesOnlyTheThreadThatOpenedIt() throws Exception {
        withFreshNamespace(kernel -> {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    kernel.setEnabled(false);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.start();
            other.join();
            assertThat(failure.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("network namespace");
            Snapshot snapshot = kernel.query();
            assertThat(snapshot.sysctls().enabled()).isTrue();
            crossCheck(snapshot);
        });
    }

    /**
     * Without CAP_NET_ADMIN (nobody inside the namespace) every write is refused: EPERM from netlink, EACCES from
     * the sysctl file, both as PermissionDeniedException naming the capability; and nothing changes.
     */
    @Test
    void writesWithoutCapNetAdminArePermissionDenied() throws Exception {
        withFreshNamespace(kernel -> {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "subflow");
            Snapshot before = kernel.query();
            Path dir = readableCopy();
            try {
                List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
                command.addAll(Nobody.prefix());
                command.addAll(List.of(
                        Mptcpstate.java(),
                        "-cp",
                        dir.resolve("mptcpstate.jar") + ":" + dir.resolve("classes"),
                        UnprivilegedWrites.class.getName(),
                        "198.51.100.1"));
                Mptcpstate.Run run = Mptcpstate.process(command);
                assertThat(run.exitCode())
                        .as("probe exit (stderr: %s)", run.stderr())
                        .isZero();
                List<String> lines = run.stdout().lines().toList();
                assertThat(lines)
                        .extracting(line -> line.split("\t")[0])
                        .containsExactly(
                                "setEnabled", "setLimits", "addEndpoint", "deleteEndpoint", "setEndpointFlags");
                for (String line : lines) {
                    String[] parts = line.split("\t");
                    assertThat(parts).as(line).hasSize(3);
                    assertThat(parts[1]).as(line).isEqualTo(PermissionDeniedException.class.getName());
                    assertThat(parts[2]).as(line).contains("CAP_NET_ADMIN");
                }
            } finally {
                deleteTree(dir);
            }
            Snapshot after = kernel.query();
            assertThat(MptcpState.of(after)).isEqualTo(MptcpState.of(before));
            crossCheck(after);
        });
    }

    // ---------------------------------------------------------------- running as nobody

    /** The jar and the probe's classes where nobody can read them (target/ may be closed to others). */
    private static Path readableCopy() throws IOException {
        Path dir = Files.createTempDirectory("mptcpstate-kc-");
        Path classes = dir.resolve("classes/org/mptcpstate/kernel");
        Files.createDirectories(classes);
        Files.copy(Mptcpstate.jar(), dir.resolve("mptcpstate.jar"), StandardCopyOption.REPLACE_EXISTING);
        Path compiled;
        try {
            compiled = Path.of(UnprivilegedWrites.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .resolve("org/mptcpstate/kernel");
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        try (Stream<Path> files = Files.list(compiled)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("UnprivilegedWrites"))
                    .toList()) {
                Files.copy(file, classes.resolve(file.getFileName()));
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
