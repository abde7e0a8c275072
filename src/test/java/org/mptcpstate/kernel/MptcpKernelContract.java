package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.Errno;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mptcpstate.kernel.ContractNamespace.ELSEWHERE_V4;
import static org.mptcpstate.kernel.ContractNamespace.ELSEWHERE_V6;
import static org.mptcpstate.kernel.ContractNamespace.VA0;
import static org.mptcpstate.kernel.ContractNamespace.VA0_V4;
import static org.mptcpstate.kernel.ContractNamespace.VA0_V6;
import static org.mptcpstate.kernel.ContractNamespace.VB0;
import static org.mptcpstate.kernel.ContractNamespace.VB0_V4;
import static org.mptcpstate.kernel.ContractNamespace.ip;

/**
 * What every {@link MptcpKernel} does, the real one and the fake alike: one test per kernel rule and per write.
 * Every test starts from a fresh namespace laid out as {@link ContractNamespace}; every write is followed by a
 * {@link MptcpKernel#query()} whose endpoints (ids, flags, ports, interfaces), limits and net.mptcp.enabled are
 * asserted, and handed to {@link #crossCheck} (the real kernel's subclass compares it with iproute2 and sysctl).
 * A refusal must carry the kernel's errno and text and leave the state as it was.
 *
 * <p>The expectations were measured on Linux 6.18 (see the report of the kernel-writes branch); where the fact
 * sheet says otherwise, the kernel won.
 */
abstract class MptcpKernelContract {
    static final int SIGNAL = 0x1;
    static final int SUBFLOW = 0x2;
    static final int BACKUP = 0x4;
    static final int FULLMESH = 0x8;
    static final int IMPLICIT = 0x10;
    static final int LAMINAR = 0x20;

    /** A test body, given the kernel of its fresh namespace. */
    @FunctionalInterface
    protected interface Body {
        void run(MptcpKernel kernel) throws Exception;
    }

    /** One write; may throw. */
    @FunctionalInterface
    protected interface Write {
        void run() throws Exception;
    }

    /** Runs {@code body} with a kernel for a fresh namespace laid out as {@link ContractNamespace}. */
    protected abstract void withFreshNamespace(Body body) throws Exception;

    /**
     * Compares what the kernel reported after a write (or a refusal) with an oracle the project did not write.
     * The fake has none.
     */
    protected void crossCheck(Snapshot reported) {}

    /** The part of a snapshot that the writes change. */
    record MptcpState(Sysctls sysctls, Limits limits, List<KernelEndpoint> endpoints) {
        static MptcpState of(Snapshot snapshot) {
            return new MptcpState(snapshot.sysctls(), snapshot.limits(), snapshot.endpoints());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs an accepted write, then reads and cross-checks the state. */
    Snapshot write(MptcpKernel kernel, Write write) throws Exception {
        write.run();
        Snapshot snapshot = kernel.query();
        crossCheck(snapshot);
        return snapshot;
    }

    /** Runs a write the kernel refuses: errno, text and message as the kernel's, and nothing changed. */
    void refused(MptcpKernel kernel, int errno, String text, Write write) {
        MptcpState before = MptcpState.of(kernel.query());
        assertThatThrownBy(write::run).isInstanceOfSatisfying(KernelRefusedException.class, e -> {
            assertThat(e.errno()).as("errno of %s", e.getMessage()).isEqualTo(errno);
            assertThat(e.kernelMessage()).as("kernel text").isEqualTo(text);
            assertThat(e.getMessage()).isEqualTo("kernel refused: " + text + " (" + Errno.name(errno) + ")");
        });
        Snapshot after = kernel.query();
        assertThat(MptcpState.of(after)).as("state after the refused write").isEqualTo(before);
        crossCheck(after);
    }

    /** A write refused before anything is sent: a programming error, and nothing changed. */
    void invalid(MptcpKernel kernel, Class<? extends RuntimeException> type, Write write) {
        MptcpState before = MptcpState.of(kernel.query());
        assertThatThrownBy(write::run).isInstanceOf(type);
        assertThat(MptcpState.of(kernel.query()))
                .as("state after the invalid call")
                .isEqualTo(before);
    }

    static KernelEndpoint endpoint(int id, InetAddress address, int port, int flags, int interfaceIndex) {
        return new KernelEndpoint(id, address, port, new EndpointFlags(flags), interfaceIndex);
    }

    static KernelEndpoint endpoint(int id, InetAddress address, int flags) {
        return endpoint(id, address, 0, flags, 0);
    }

    static EndpointFlags flags(int bits) {
        return new EndpointFlags(bits);
    }

    static void add(MptcpKernel kernel, InetAddress address, int flags) {
        kernel.addEndpoint(0, address, 0, flags(flags), 0);
    }

    static int index(MptcpKernel kernel, String name) {
        return kernel.query().links().stream()
                .filter(link -> link.name().equals(name))
                .mapToInt(Link::index)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no link " + name));
    }

    static InetAddress linkLocal(MptcpKernel kernel, String name) {
        int index = index(kernel, name);
        return kernel.query().addresses().stream()
                .filter(a -> a.interfaceIndex() == index
                        && a.address() instanceof Inet6Address
                        && a.address().isLinkLocalAddress())
                .map(LinkAddress::address)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no fe80:: on " + name));
    }

    static String tooMany(int errno) {
        return "too many addresses or duplicate one: -" + errno;
    }

    static String listenError(int errno) {
        return "create listen socket error: -" + errno;
    }

    // ------------------------------------------------------------------ the fresh namespace

    @Test
    void freshNamespaceHasTheKernelDefaults() throws Exception {
        withFreshNamespace(kernel -> {
            Snapshot snapshot = kernel.query();
            assertThat(snapshot.sysctls()).isEqualTo(new Sysctls(true, Sysctls.KERNEL));
            assertThat(snapshot.limits()).isEqualTo(new Limits(2, 0));
            assertThat(snapshot.endpoints()).isEmpty();
            assertThat(snapshot.links()).extracting(Link::name).contains("lo", VA0, VB0);
            crossCheck(snapshot);
        });
    }

    // ------------------------------------------------------------------ net.mptcp.enabled

    @Test
    void setEnabledWritesTheSysctl() throws Exception {
        withFreshNamespace(kernel -> {
            Snapshot off = write(kernel, () -> kernel.setEnabled(false));
            assertThat(off.sysctls()).isEqualTo(new Sysctls(false, Sysctls.KERNEL));
            assertThat(off.limits()).isEqualTo(new Limits(2, 0));
            assertThat(write(kernel, () -> kernel.setEnabled(false)).sysctls().enabled())
                    .isFalse();
            assertThat(write(kernel, () -> kernel.setEnabled(true)).sysctls().enabled())
                    .isTrue();
        });
    }

    // ------------------------------------------------------------------ limits

    @Test
    void setLimitsWritesBoth() throws Exception {
        withFreshNamespace(kernel -> {
            assertThat(write(kernel, () -> kernel.setLimits(5, 3)).limits()).isEqualTo(new Limits(5, 3));
            assertThat(write(kernel, () -> kernel.setLimits(0, 8)).limits()).isEqualTo(new Limits(0, 8));
            assertThat(write(kernel, () -> kernel.setLimits(8, 0)).limits()).isEqualTo(new Limits(8, 0));
        });
    }

    @Test
    void setLimitsLeavesANullLimitAsItIs() throws Exception {
        withFreshNamespace(kernel -> {
            assertThat(write(kernel, () -> kernel.setLimits(6, null)).limits()).isEqualTo(new Limits(6, 0));
            assertThat(write(kernel, () -> kernel.setLimits(null, 4)).limits()).isEqualTo(new Limits(6, 4));
            Snapshot same = write(kernel, () -> kernel.setLimits(null, null));
            assertThat(same.limits()).isEqualTo(new Limits(6, 4));
            assertThat(same.sysctls().enabled()).isTrue();
        });
    }

    @Test
    void aLimitAboveEightIsRefusedAndNeitherIsWritten() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.setLimits(3, 1));
            String text = "limit greater than maximum (8)";
            refused(kernel, Errno.EINVAL, text, () -> kernel.setLimits(9, 2));
            refused(kernel, Errno.EINVAL, text, () -> kernel.setLimits(4, 9));
            refused(kernel, Errno.EINVAL, text, () -> kernel.setLimits(9, null));
            refused(kernel, Errno.EINVAL, text, () -> kernel.setLimits(null, 100));
            assertThat(kernel.query().limits()).isEqualTo(new Limits(3, 1));
        });
    }

    @Test
    void aNegativeLimitIsAProgrammingError() throws Exception {
        withFreshNamespace(kernel -> {
            invalid(kernel, IllegalArgumentException.class, () -> kernel.setLimits(-1, 2));
            invalid(kernel, IllegalArgumentException.class, () -> kernel.setLimits(2, -1));
        });
    }

    // ------------------------------------------------------------------ add

    @Test
    void addLetsTheKernelChooseTheId() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            Snapshot snapshot = write(kernel, () -> add(kernel, VA0_V6, SIGNAL | BACKUP));
            assertThat(snapshot.endpoints())
                    .containsExactly(endpoint(1, VA0_V4, SUBFLOW), endpoint(2, VA0_V6, SIGNAL | BACKUP));
            assertThat(snapshot.limits()).isEqualTo(new Limits(2, 0));
            assertThat(snapshot.sysctls().enabled()).isTrue();
        });
    }

    @Test
    void addTakesIdPortFlagsAndInterfaceAsGiven() throws Exception {
        withFreshNamespace(kernel -> {
            int va0 = index(kernel, VA0);
            int vb0 = index(kernel, VB0);
            write(kernel, () -> kernel.addEndpoint(7, VA0_V4, 10100, flags(SIGNAL | BACKUP), va0));
            write(kernel, () -> kernel.addEndpoint(0, VB0_V4, 0, flags(SUBFLOW | FULLMESH), vb0));
            Snapshot snapshot = write(kernel, () -> kernel.addEndpoint(42, VA0_V6, 0, flags(0), 0));
            assertThat(snapshot.endpoints())
                    .containsExactly(
                            endpoint(7, VA0_V4, 10100, SIGNAL | BACKUP, va0),
                            endpoint(8, VB0_V4, 0, SUBFLOW | FULLMESH, vb0),
                            endpoint(42, VA0_V6, 0, 0, 0));
        });
    }

    @Test
    void theKernelDoesNotCheckTheInterfaceIndex() throws Exception {
        withFreshNamespace(kernel -> {
            Snapshot snapshot = write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 0, flags(SUBFLOW), 999));
            assertThat(snapshot.endpoints()).containsExactly(endpoint(1, VA0_V4, 0, SUBFLOW, 999));
        });
    }

    @Test
    void aV4MappedAddressStaysIpv6() throws Exception {
        withFreshNamespace(kernel -> {
            InetAddress mapped = ip("::ffff:198.51.100.1");
            assertThat(mapped).isInstanceOf(Inet6Address.class);
            Snapshot snapshot = write(kernel, () -> add(kernel, mapped, SUBFLOW));
            assertThat(snapshot.endpoints()).containsExactly(endpoint(1, mapped, SUBFLOW));
            assertThat(snapshot.endpoints().get(0).address()).isInstanceOf(Inet6Address.class);
        });
    }

    @Test
    void theKernelDoesNotCheckWhatAnAddressIs() throws Exception {
        withFreshNamespace(kernel -> {
            List<InetAddress> odd =
                    List.of(ip("127.0.0.1"), ip("fe80::1"), ip("224.0.0.1"), ELSEWHERE_V4, ELSEWHERE_V6, ip("0.0.0.0"));
            for (InetAddress address : odd) {
                write(kernel, () -> add(kernel, address, SUBFLOW));
            }
            assertThat(kernel.query().endpoints())
                    .extracting(KernelEndpoint::address)
                    .containsExactlyElementsOf(odd);
        });
    }

    // ------------------------------------------------------------------ ids

    @Test
    void idsAreNotReusedUntilTheyWrap() throws Exception {
        withFreshNamespace(kernel -> {
            for (int i = 1; i <= 3; i++) {
                InetAddress address = ip("203.0.113." + i);
                write(kernel, () -> add(kernel, address, SUBFLOW));
            }
            write(kernel, () -> kernel.deleteEndpoint(2));
            Snapshot afterMiddle = write(kernel, () -> add(kernel, ip("203.0.113.4"), SUBFLOW));
            assertThat(afterMiddle.endpoints()).extracting(KernelEndpoint::id).containsExactly(1, 3, 4);
            for (int id : List.of(1, 3, 4)) {
                write(kernel, () -> kernel.deleteEndpoint(id));
            }
            assertThat(kernel.query().endpoints()).isEmpty();
            write(kernel, () -> add(kernel, ip("203.0.113.5"), SUBFLOW));
            Snapshot afterAll = write(kernel, () -> add(kernel, ip("203.0.113.6"), SUBFLOW));
            assertThat(afterAll.endpoints())
                    .containsExactly(endpoint(4, ip("203.0.113.5"), SUBFLOW), endpoint(5, ip("203.0.113.6"), SUBFLOW));
        });
    }

    @Test
    void idsWrapAfter255AndFollowAGivenId() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.addEndpoint(254, ip("203.0.113.1"), 0, flags(0), 0));
            write(kernel, () -> add(kernel, ip("203.0.113.2"), 0));
            write(kernel, () -> add(kernel, ip("203.0.113.3"), 0));
            write(kernel, () -> kernel.addEndpoint(100, ip("203.0.113.4"), 0, flags(0), 0));
            Snapshot snapshot = write(kernel, () -> add(kernel, ip("203.0.113.5"), 0));
            assertThat(snapshot.endpoints())
                    .as("dumped in id order")
                    .containsExactly(
                            endpoint(1, ip("203.0.113.3"), 0),
                            endpoint(100, ip("203.0.113.4"), 0),
                            endpoint(101, ip("203.0.113.5"), 0),
                            endpoint(254, ip("203.0.113.1"), 0),
                            endpoint(255, ip("203.0.113.2"), 0));
        });
    }

    @Test
    void aChosenIdSkipsIdsInUse() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.addEndpoint(255, ip("203.0.113.1"), 0, flags(0), 0));
            write(kernel, () -> add(kernel, ip("203.0.113.2"), 0));
            write(kernel, () -> kernel.addEndpoint(3, ip("203.0.113.3"), 0, flags(0), 0));
            write(kernel, () -> kernel.addEndpoint(2, ip("203.0.113.4"), 0, flags(0), 0));
            write(kernel, () -> add(kernel, ip("203.0.113.5"), 0));
            write(kernel, () -> kernel.deleteEndpoint(255));
            Snapshot snapshot = write(kernel, () -> add(kernel, ip("203.0.113.6"), 0));
            assertThat(snapshot.endpoints())
                    .containsExactly(
                            endpoint(1, ip("203.0.113.2"), 0),
                            endpoint(2, ip("203.0.113.4"), 0),
                            endpoint(3, ip("203.0.113.3"), 0),
                            endpoint(4, ip("203.0.113.5"), 0),
                            endpoint(5, ip("203.0.113.6"), 0));
        });
    }

    @Test
    void anIdInUseIsRefused() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.addEndpoint(5, VA0_V4, 0, flags(SUBFLOW), 0));
            refused(
                    kernel,
                    Errno.EBUSY,
                    tooMany(Errno.EBUSY),
                    () -> kernel.addEndpoint(5, VB0_V4, 0, flags(SUBFLOW), 0));
            // the id is checked before the address
            refused(
                    kernel,
                    Errno.EBUSY,
                    tooMany(Errno.EBUSY),
                    () -> kernel.addEndpoint(5, VA0_V4, 0, flags(SUBFLOW), 0));
        });
    }

    // ------------------------------------------------------------------ at most eight

    @Test
    void atMostEightEndpointsAndThatIsCheckedFirst() throws Exception {
        withFreshNamespace(kernel -> {
            for (int i = 1; i <= 8; i++) {
                InetAddress address = ip("203.0.113." + i);
                write(kernel, () -> add(kernel, address, SUBFLOW));
            }
            String full = tooMany(Errno.ERANGE);
            refused(kernel, Errno.ERANGE, full, () -> add(kernel, ELSEWHERE_V4, SUBFLOW));
            refused(kernel, Errno.ERANGE, full, () -> add(kernel, ip("203.0.113.1"), SUBFLOW));
            refused(kernel, Errno.ERANGE, full, () -> kernel.addEndpoint(1, VA0_V4, 0, flags(SUBFLOW), 0));
            // the listening socket of a port endpoint is made before the count is checked
            refused(kernel, Errno.ERANGE, full, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(SIGNAL), 0));
            refused(
                    kernel,
                    Errno.EADDRNOTAVAIL,
                    listenError(Errno.EADDRNOTAVAIL),
                    () -> kernel.addEndpoint(0, ELSEWHERE_V4, 10100, flags(SIGNAL), 0));
            // and so are the flag rules
            refused(
                    kernel,
                    Errno.EINVAL,
                    "flags mustn't have both signal and fullmesh",
                    () -> add(kernel, VA0_V4, SIGNAL | FULLMESH));

            write(kernel, () -> kernel.deleteEndpoint(3));
            Snapshot snapshot = write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            assertThat(snapshot.endpoints()).hasSize(8).last().isEqualTo(endpoint(9, VA0_V4, SUBFLOW));
        });
    }

    // ------------------------------------------------------------------ same address

    @Test
    void theSameAddressIsRefusedWhateverItsFlagsAndInterface() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            String duplicate = tooMany(Errno.EEXIST);
            refused(kernel, Errno.EEXIST, duplicate, () -> add(kernel, VA0_V4, SUBFLOW));
            refused(kernel, Errno.EEXIST, duplicate, () -> add(kernel, VA0_V4, SIGNAL | BACKUP));
            refused(
                    kernel,
                    Errno.EEXIST,
                    duplicate,
                    () -> kernel.addEndpoint(9, VA0_V4, 0, flags(0), index(kernel, VB0)));
        });
    }

    @Test
    void anIpv4AddressAndItsV4MappedFormAreTheSame() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            write(kernel, () -> add(kernel, ip("::ffff:198.51.100.1"), SUBFLOW));
            String duplicate = tooMany(Errno.EEXIST);
            refused(kernel, Errno.EEXIST, duplicate, () -> add(kernel, ip("::ffff:192.0.2.1"), SIGNAL));
            refused(kernel, Errno.EEXIST, duplicate, () -> add(kernel, VB0_V4, SIGNAL));
        });
    }

    @Test
    void thePortCountsOnlyWhenEitherSideHasOne() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(SIGNAL), 0));
            write(kernel, () -> add(kernel, VA0_V4, SIGNAL));
            refused(kernel, Errno.EEXIST, tooMany(Errno.EEXIST), () -> add(kernel, VA0_V4, SUBFLOW));
            write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 10101, flags(SIGNAL | BACKUP), 0));
            Snapshot snapshot = write(kernel, () -> kernel.addEndpoint(0, VA0_V6, 10100, flags(SIGNAL), 0));
            assertThat(snapshot.endpoints())
                    .containsExactly(
                            endpoint(1, VA0_V4, 10100, SIGNAL, 0),
                            endpoint(2, VA0_V4, 0, SIGNAL, 0),
                            endpoint(3, VA0_V4, 10101, SIGNAL | BACKUP, 0),
                            endpoint(4, VA0_V6, 10100, SIGNAL, 0));
        });
    }

    @Test
    void theSameAddressAndPortFailsToListen() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(SIGNAL), 0));
            String inUse = listenError(Errno.EADDRINUSE);
            refused(kernel, Errno.EADDRINUSE, inUse, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(SIGNAL), 0));
            refused(
                    kernel,
                    Errno.EADDRINUSE,
                    inUse,
                    () -> kernel.addEndpoint(0, ip("::ffff:192.0.2.1"), 10100, flags(SIGNAL), 0));
        });
    }

    @Test
    void aWildcardListenerTakesThePortOfItsFamily() throws Exception {
        withFreshNamespace(kernel -> {
            String inUse = listenError(Errno.EADDRINUSE);
            write(kernel, () -> kernel.addEndpoint(0, ip("0.0.0.0"), 10200, flags(SIGNAL), 0));
            refused(kernel, Errno.EADDRINUSE, inUse, () -> kernel.addEndpoint(0, VA0_V4, 10200, flags(SIGNAL), 0));
            write(kernel, () -> kernel.addEndpoint(0, VA0_V6, 10200, flags(SIGNAL), 0));
            refused(kernel, Errno.EADDRINUSE, inUse, () -> kernel.addEndpoint(0, ip("::"), 10200, flags(SIGNAL), 0));
            write(kernel, () -> kernel.addEndpoint(0, ip("::"), 10201, flags(SIGNAL), 0));
            refused(kernel, Errno.EADDRINUSE, inUse, () -> kernel.addEndpoint(0, VB0_V4, 10201, flags(SIGNAL), 0));
            assertThat(kernel.query().endpoints())
                    .extracting(KernelEndpoint::id)
                    .containsExactly(1, 2, 3);
        });
    }

    // ------------------------------------------------------------------ flag rules

    @Test
    void signalWithFullmeshIsRefused() throws Exception {
        withFreshNamespace(kernel -> {
            String text = "flags mustn't have both signal and fullmesh";
            refused(kernel, Errno.EINVAL, text, () -> add(kernel, VA0_V4, SIGNAL | FULLMESH));
            refused(kernel, Errno.EINVAL, text, () -> add(kernel, VA0_V4, SIGNAL | SUBFLOW | FULLMESH | BACKUP));
            Snapshot snapshot = write(kernel, () -> add(kernel, VA0_V4, SUBFLOW | FULLMESH));
            assertThat(snapshot.endpoints()).containsExactly(endpoint(1, VA0_V4, SUBFLOW | FULLMESH));
        });
    }

    @Test
    void aPortNeedsSignalWithoutSubflow() throws Exception {
        withFreshNamespace(kernel -> {
            String text = "flags must have signal and not subflow when using port";
            for (int bits : new int[] {0, SUBFLOW, SIGNAL | SUBFLOW, BACKUP, SUBFLOW | FULLMESH}) {
                refused(kernel, Errno.EINVAL, text, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(bits), 0));
            }
            Snapshot snapshot =
                    write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 10100, flags(SIGNAL | BACKUP | LAMINAR), 0));
            assertThat(snapshot.endpoints()).containsExactly(endpoint(1, VA0_V4, 10100, SIGNAL | BACKUP | LAMINAR, 0));
        });
    }

    @Test
    void aPortNeedsAnAddressTheHostCanListenOn() throws Exception {
        withFreshNamespace(kernel -> {
            String notHere = listenError(Errno.EADDRNOTAVAIL);
            refused(
                    kernel,
                    Errno.EADDRNOTAVAIL,
                    notHere,
                    () -> kernel.addEndpoint(0, ELSEWHERE_V4, 10100, flags(SIGNAL), 0));
            refused(
                    kernel,
                    Errno.EADDRNOTAVAIL,
                    notHere,
                    () -> kernel.addEndpoint(0, ELSEWHERE_V6, 10100, flags(SIGNAL), 0));
            refused(
                    kernel,
                    Errno.EADDRNOTAVAIL,
                    notHere,
                    () -> kernel.addEndpoint(0, ip("192.0.2.0"), 10100, flags(SIGNAL), 0));
            refused(
                    kernel,
                    Errno.EADDRNOTAVAIL,
                    notHere,
                    () -> kernel.addEndpoint(0, ip("::ffff:203.0.113.9"), 10100, flags(SIGNAL), 0));
            InetAddress linkLocal = linkLocal(kernel, VA0);
            refused(
                    kernel,
                    Errno.EINVAL,
                    listenError(Errno.EINVAL),
                    () -> kernel.addEndpoint(0, linkLocal, 10100, flags(SIGNAL), 0));

            List<InetAddress> listenable = List.of(
                    VA0_V6, ip("::ffff:198.51.100.1"), ip("::1"), ip("127.0.0.2"), ip("192.0.2.255"), ip("224.0.0.5"));
            for (InetAddress address : listenable) {
                write(kernel, () -> kernel.addEndpoint(0, address, 10100, flags(SIGNAL), 0));
            }
            assertThat(kernel.query().endpoints())
                    .extracting(KernelEndpoint::address)
                    .containsExactlyElementsOf(listenable);
        });
    }

    @Test
    void theImplicitFlagIsRefused() throws Exception {
        withFreshNamespace(kernel -> {
            String text = "can't create IMPLICIT endpoint";
            refused(kernel, Errno.EINVAL, text, () -> add(kernel, VA0_V4, IMPLICIT));
            refused(kernel, Errno.EINVAL, text, () -> add(kernel, ELSEWHERE_V4, SUBFLOW | IMPLICIT));
            refused(kernel, Errno.EINVAL, text, () -> add(kernel, VA0_V4, SIGNAL | IMPLICIT | 0x80));
        });
    }

    @Test
    void unknownFlagBitsAreDroppedAndLaminarIsKept() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW | 0x40 | 0x80 | 0x8000_0000));
            write(kernel, () -> add(kernel, VB0_V4, LAMINAR));
            Snapshot snapshot = write(kernel, () -> add(kernel, VA0_V6, SIGNAL | BACKUP | 0x100));
            assertThat(snapshot.endpoints())
                    .containsExactly(
                            endpoint(1, VA0_V4, SUBFLOW),
                            endpoint(2, VB0_V4, LAMINAR),
                            endpoint(3, VA0_V6, SIGNAL | BACKUP));
        });
    }

    // ------------------------------------------------------------------ delete

    @Test
    void deleteRemovesOneEndpointById() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            write(kernel, () -> kernel.addEndpoint(0, VA0_V6, 10100, flags(SIGNAL), 0));
            write(kernel, () -> add(kernel, VB0_V4, SIGNAL));
            Snapshot snapshot = write(kernel, () -> kernel.deleteEndpoint(2));
            assertThat(snapshot.endpoints()).containsExactly(endpoint(1, VA0_V4, SUBFLOW), endpoint(3, VB0_V4, SIGNAL));
            // the listening socket went with it
            write(kernel, () -> kernel.addEndpoint(0, VA0_V6, 10100, flags(SIGNAL), 0));
        });
    }

    @Test
    void deleteOfAnUnknownIdIsRefused() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            refused(kernel, Errno.EINVAL, "address not found", () -> kernel.deleteEndpoint(2));
            write(kernel, () -> kernel.deleteEndpoint(1));
            refused(kernel, Errno.EINVAL, "address not found", () -> kernel.deleteEndpoint(1));
            refused(kernel, Errno.EINVAL, "address not found", () -> kernel.deleteEndpoint(255));
        });
    }

    // ------------------------------------------------------------------ set flags

    @Test
    void setFlagsReplacesBackupAndFullmeshInPlace() throws Exception {
        withFreshNamespace(kernel -> {
            int va0 = index(kernel, VA0);
            write(kernel, () -> kernel.addEndpoint(0, VB0_V4, 0, flags(SUBFLOW), 0));
            write(kernel, () -> kernel.addEndpoint(0, VA0_V4, 0, flags(SUBFLOW), va0));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, flags(BACKUP)))
                            .endpoints())
                    .containsExactly(endpoint(1, VB0_V4, SUBFLOW), endpoint(2, VA0_V4, 0, SUBFLOW | BACKUP, va0));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, flags(FULLMESH)))
                            .endpoints())
                    .as("both bits replaced, not toggled")
                    .containsExactly(endpoint(1, VB0_V4, SUBFLOW), endpoint(2, VA0_V4, 0, SUBFLOW | FULLMESH, va0));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, flags(BACKUP | FULLMESH)))
                            .endpoints())
                    .contains(endpoint(2, VA0_V4, 0, SUBFLOW | BACKUP | FULLMESH, va0));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, EndpointFlags.NONE))
                            .endpoints())
                    .containsExactly(endpoint(1, VB0_V4, SUBFLOW), endpoint(2, VA0_V4, 0, SUBFLOW, va0));
        });
    }

    @Test
    void setFlagsIgnoresEveryOtherBit() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            write(kernel, () -> add(kernel, VB0_V4, SIGNAL | LAMINAR));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(1, flags(SIGNAL | LAMINAR | IMPLICIT | 0x100)))
                            .endpoints())
                    .containsExactly(endpoint(1, VA0_V4, SUBFLOW), endpoint(2, VB0_V4, SIGNAL | LAMINAR));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, flags(BACKUP)))
                            .endpoints())
                    .as("signal and laminar stay: only backup and fullmesh are replaced")
                    .containsExactly(endpoint(1, VA0_V4, SUBFLOW), endpoint(2, VB0_V4, SIGNAL | LAMINAR | BACKUP));
        });
    }

    @Test
    void setFlagsRefusesFullmeshOnASignalEndpoint() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SIGNAL | SUBFLOW));
            write(kernel, () -> kernel.addEndpoint(0, VA0_V6, 10100, flags(SIGNAL), 0));
            refused(kernel, Errno.EINVAL, "invalid addr flags", () -> kernel.setEndpointFlags(1, flags(FULLMESH)));
            refused(
                    kernel,
                    Errno.EINVAL,
                    "invalid addr flags",
                    () -> kernel.setEndpointFlags(2, flags(BACKUP | FULLMESH)));
            assertThat(write(kernel, () -> kernel.setEndpointFlags(2, flags(BACKUP)))
                            .endpoints())
                    .contains(endpoint(2, VA0_V6, 10100, SIGNAL | BACKUP, 0));
        });
    }

    @Test
    void setFlagsOfAnUnknownIdIsRefused() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            refused(kernel, Errno.EINVAL, "address not found", () -> kernel.setEndpointFlags(2, flags(BACKUP)));
            refused(kernel, Errno.EINVAL, "address not found", () -> kernel.setEndpointFlags(200, EndpointFlags.NONE));
        });
    }

    // ------------------------------------------------------------------ programming errors and lifecycle

    @Test
    void argumentsTheWireCannotCarryAreProgrammingErrors() throws Exception {
        withFreshNamespace(kernel -> {
            write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            Class<IllegalArgumentException> iae = IllegalArgumentException.class;
            invalid(kernel, iae, () -> kernel.addEndpoint(-1, VB0_V4, 0, flags(SUBFLOW), 0));
            invalid(kernel, iae, () -> kernel.addEndpoint(256, VB0_V4, 0, flags(SUBFLOW), 0));
            invalid(kernel, iae, () -> kernel.addEndpoint(0, VB0_V4, -1, flags(SIGNAL), 0));
            invalid(kernel, iae, () -> kernel.addEndpoint(0, VB0_V4, 65536, flags(SIGNAL), 0));
            invalid(kernel, iae, () -> kernel.addEndpoint(0, VB0_V4, 0, flags(SUBFLOW), -1));
            invalid(kernel, NullPointerException.class, () -> kernel.addEndpoint(0, null, 0, flags(SUBFLOW), 0));
            invalid(kernel, NullPointerException.class, () -> kernel.addEndpoint(0, VB0_V4, 0, null, 0));
            invalid(kernel, iae, () -> kernel.deleteEndpoint(0));
            invalid(kernel, iae, () -> kernel.deleteEndpoint(256));
            invalid(kernel, iae, () -> kernel.setEndpointFlags(0, flags(BACKUP)));
            invalid(kernel, iae, () -> kernel.setEndpointFlags(256, flags(BACKUP)));
            invalid(kernel, NullPointerException.class, () -> kernel.setEndpointFlags(1, null));
        });
    }

    @Test
    void aRehearsalReadsBackItsOwnWritesAndChangesNothingInTheKernel() throws Exception {
        withFreshNamespace(kernel -> {
            Snapshot start = write(kernel, () -> add(kernel, VA0_V4, SUBFLOW));
            int id = start.endpoints().get(0).id();
            assertThat(id).as("the kernel's first id").isEqualTo(1);
            MptcpKernel rehearsal = kernel.rehearsal();
            assertThat(MptcpState.of(rehearsal.query())).isEqualTo(MptcpState.of(start));
            assertThat(rehearsal.endpoints()).isEqualTo(start.endpoints());
            rehearsal.setEnabled(!start.sysctls().enabled());
            rehearsal.setLimits(8, 8);
            rehearsal.addEndpoint(0, VB0_V4, 0, flags(SUBFLOW), 0);
            rehearsal.setEndpointFlags(id, flags(BACKUP | SIGNAL));
            assertThat(rehearsal.endpoints())
                    .as("read back as written (in place: backup only)")
                    .containsExactly(endpoint(1, VA0_V4, SUBFLOW | BACKUP), endpoint(2, VB0_V4, SUBFLOW));
            assertThat(rehearsal.query().endpoints()).isEqualTo(rehearsal.endpoints());
            rehearsal.deleteEndpoint(id);
            assertThat(rehearsal.endpoints())
                    .extracting(KernelEndpoint::address)
                    .containsExactly(VB0_V4);
            // what a write refuses before sending, the rehearsal refuses too
            assertThatThrownBy(() -> rehearsal.addEndpoint(256, VB0_V4, 0, flags(SUBFLOW), 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rehearsal.setLimits(-1, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> rehearsal.deleteEndpoint(0)).isInstanceOf(IllegalArgumentException.class);
            rehearsal.close();
            Snapshot after = kernel.query(); // the kernel stays open
            assertThat(MptcpState.of(after)).isEqualTo(MptcpState.of(start));
            crossCheck(after);
        });
    }

    @Test
    void aClosedKernelRefusesEveryCall() throws Exception {
        withFreshNamespace(kernel -> {
            kernel.close();
            Class<IllegalStateException> closed = IllegalStateException.class;
            assertThatThrownBy(kernel::query).isInstanceOf(closed);
            assertThatThrownBy(() -> kernel.setEnabled(false)).isInstanceOf(closed);
            assertThatThrownBy(() -> kernel.setLimits(1, 1)).isInstanceOf(closed);
            assertThatThrownBy(() -> add(kernel, VA0_V4, SUBFLOW)).isInstanceOf(closed);
            assertThatThrownBy(() -> kernel.deleteEndpoint(1)).isInstanceOf(closed);
            assertThatThrownBy(() -> kernel.setEndpointFlags(1, flags(BACKUP))).isInstanceOf(closed);
            kernel.close();
        });
    }
}
