package org.mptcpstate.netlink;

import org.mptcpstate.testing.Netns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Captures byte-exact kernel replies from a throwaway network namespace, together with what iproute2 prints
 * for the same namespace at the same time. The codec unit tests (no root needed) decode the captured bytes
 * with the product's parsers and compare the result with the iproute2 output, which is the expected side.
 *
 * <p>This is not a test: it is run by hand, as root, when the captures should be remade (a new kernel, a new
 * case). From the repository root:
 *
 * <pre>
 *   mvn -B -q -o test-compile
 *   mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *       org.mptcpstate.netlink.CaptureKernelReplies src/test/resources/captures
 *   mvn -B -q -o test          # the codec tests must still pass against the new captures
 * </pre>
 *
 * <p>It creates a namespace {@code mst-capture-XXXXXX} with {@code ip} (a veth pair with IPv4 and IPv6
 * addresses, default routes, MPTCP limits and endpoints; see {@link #SETUP}), then, inside the namespace,
 * performs each exchange on a fresh {@link NetlinkSocket} whose transport ({@link RecordingTransport}) records every
 * received datagram. Each exchange is written to {@code <dir>/<name>.hex}, one datagram per line, in the
 * machine's byte order (recorded in {@code environment.txt}). The iproute2 outputs go to {@code <dir>/oracle/}.
 * iproute2 is run before and after the netlink exchanges and the two runs must agree (lifetimes aside), so the
 * oracle describes the same state as the bytes. The namespace is deleted at the end, whatever happens; the
 * machine's own namespace is never touched.
 */
public final class CaptureKernelReplies {
    private static final int CMD_ADD_ADDR = 1;
    private static final int CMD_GET_ADDR = 3;
    private static final int CMD_GET_LIMITS = 6;
    private static final int ATTR_ADDR = 1;
    private static final int ADDR_FAMILY = 1;
    private static final int ADDR_ID = 2;
    private static final int ADDR_ADDR4 = 3;
    private static final int ADDR_FLAGS = 6;
    private static final int FLAG_SIGNAL = 0x1;
    private static final int FLAG_LAMINAR = 0x20;

    /** The namespace, built with iproute2 (each line is {@code ip -n NS} + these words). */
    static final List<List<String>> SETUP = List.of(
            // DAD with 300 probes keeps IPv6 addresses added without nodad tentative for about 5 minutes
            List.of(
                    "netns",
                    "exec",
                    "NS",
                    "sysctl",
                    "-q",
                    "-w",
                    "net.ipv6.conf.all.dad_transmits=300",
                    "net.ipv6.conf.default.dad_transmits=300"),
            List.of(
                    "link",
                    "add",
                    "veth0",
                    "address",
                    "02:00:00:00:00:01",
                    "type",
                    "veth",
                    "peer",
                    "name",
                    "veth1",
                    "address",
                    "02:00:00:00:00:02"),
            List.of("link", "set", "lo", "up"),
            List.of("link", "set", "veth0", "up"),
            List.of("link", "set", "veth1", "up"),
            List.of("addr", "add", "192.0.2.1/24", "dev", "veth0"),
            List.of("addr", "add", "192.0.2.2/24", "dev", "veth0"),
            List.of("addr", "add", "2001:db8::1/64", "dev", "veth0", "nodad"),
            List.of(
                    "addr",
                    "add",
                    "2001:db8:0:2::1/64",
                    "dev",
                    "veth0",
                    "nodad",
                    "valid_lft",
                    "3600",
                    "preferred_lft",
                    "0"),
            List.of("addr", "add", "198.51.100.2/24", "dev", "veth1"),
            List.of("addr", "add", "2001:db8:1::2/64", "dev", "veth1"),
            List.of("route", "add", "default", "via", "192.0.2.254", "dev", "veth0"),
            List.of("-6", "route", "add", "default", "via", "2001:db8:1::fe", "dev", "veth1"),
            List.of("mptcp", "limits", "set", "subflows", "4", "add_addr_accepted", "3"),
            List.of("mptcp", "endpoint", "add", "192.0.2.1", "dev", "veth0", "signal", "subflow"),
            List.of("mptcp", "endpoint", "add", "2001:db8::1", "subflow", "backup"),
            List.of("mptcp", "endpoint", "add", "198.51.100.2", "port", "8443", "signal"),
            List.of("mptcp", "endpoint", "add", "203.0.113.9", "subflow", "fullmesh"),
            List.of("mptcp", "endpoint", "add", "2001:db8:1::2", "id", "42", "dev", "veth1", "subflow"));

    /** A laminar endpoint: through iproute2 when it knows the keyword, else through our own add-addr. */
    static final String LAMINAR_ADDRESS = "203.0.113.10";

    /** Refused requests, made both by us (captured) and by iproute2 (its stderr is the oracle text). */
    static final String DUPLICATE_ADDRESS = "203.0.113.20";

    static final int DUPLICATE_ID = 1;
    static final int UNKNOWN_ID = 200;
    static final int GET_ID = 3;

    /** The oracle files: name, then the ip arguments (after {@code ip -n NS}). */
    static final Map<String, List<String>> ORACLES = oracles();

    private static Map<String, List<String>> oracles() {
        Map<String, List<String>> oracles = new LinkedHashMap<>();
        oracles.put("ip-mptcp-endpoint-show.json", List.of("-j", "mptcp", "endpoint", "show"));
        oracles.put("ip-mptcp-limits.txt", List.of("mptcp", "limits"));
        oracles.put("ip-addr-show.json", List.of("-j", "addr", "show"));
        oracles.put("ip-link-show.json", List.of("-j", "link", "show"));
        oracles.put("ip-details-link-show.json", List.of("-j", "-d", "link", "show"));
        oracles.put("ip-route-show-main.json", List.of("-j", "route", "show", "table", "main"));
        oracles.put("ip-6-route-show-main.json", List.of("-j", "-6", "route", "show", "table", "main"));
        return oracles;
    }

    private final Path directory;
    private final Map<String, List<byte[]>> captures = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();

    private CaptureKernelReplies(Path directory) {
        this.directory = directory;
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args.length > 0 ? args[0] : "src/test/resources/captures");
        new CaptureKernelReplies(directory).run();
    }

    private void run() throws Exception {
        try (Netns ns = Netns.create("capture")) {
            for (List<String> step : SETUP) {
                List<String> words =
                        step.stream().map(w -> w.equals("NS") ? ns.name() : w).toList();
                if (words.get(0).equals("netns")) {
                    List<String> command = new ArrayList<>(List.of("ip"));
                    command.addAll(words);
                    Netns.run(command);
                } else {
                    ns.ip(words.toArray(String[]::new));
                }
                log.add("ip " + String.join(" ", step));
            }
            addLaminar(ns);

            Map<String, String> before = runOracles(ns);
            NetworkNamespace.call(ns.path(), () -> {
                exchanges();
                return null;
            });
            Map<String, String> refusals = new LinkedHashMap<>();
            refusals.put(
                    "ip-mptcp-endpoint-add-duplicate-id.stderr",
                    ipStderr(
                            ns,
                            "mptcp",
                            "endpoint",
                            "add",
                            DUPLICATE_ADDRESS,
                            "id",
                            Integer.toString(DUPLICATE_ID),
                            "signal"));
            refusals.put(
                    "ip-mptcp-endpoint-show-unknown-id.stderr",
                    ipStderr(ns, "mptcp", "endpoint", "show", "id", Integer.toString(UNKNOWN_ID)));
            refusals.put(
                    "genl-ctrl-get-mptcp_pm.txt",
                    Netns.run(List.of("ip", "netns", "exec", ns.name(), "genl", "ctrl", "get", "name", "mptcp_pm")));
            Map<String, String> after = runOracles(ns);
            for (String name : before.keySet()) {
                if (!withoutLifetimes(before.get(name)).equals(withoutLifetimes(after.get(name)))) {
                    throw new IllegalStateException("the namespace changed while it was captured: " + name
                            + "\nbefore: " + before.get(name) + "\nafter:  " + after.get(name));
                }
            }
            write(before, refusals);
        }
    }

    private static String withoutLifetimes(String text) {
        return text.replaceAll("\"(valid|preferred)_life_time\":\\d+", "");
    }

    private void addLaminar(Netns ns) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("ip", "-n", ns.name(), "mptcp", "endpoint", "add", LAMINAR_ADDRESS, "laminar"));
        Netns.Result result = Netns.runAllowingFailure(command);
        if (result.exitCode() == 0) {
            log.add("ip mptcp endpoint add " + LAMINAR_ADDRESS + " laminar");
            return;
        }
        log.add("# iproute2 refused the laminar keyword (" + result.stderr().strip() + "); added through netlink:");
        NetworkNamespace.call(ns.path(), () -> {
            GenericNetlink.Family family = resolve();
            byte[] address = InetAddress.getByName(LAMINAR_ADDRESS).getAddress();
            byte[] request = new AttributeEncoder()
                    .nested(
                            ATTR_ADDR,
                            a -> a.u16(ADDR_FAMILY, RtNetlink.AF_INET)
                                    .bytes(ADDR_ADDR4, address)
                                    .u32(ADDR_FLAGS, FLAG_LAMINAR))
                    .toBytes();
            boolean accepted = capture("mptcp-add-addr-laminar", NetlinkSocket.NETLINK_GENERIC, socket -> {
                try {
                    GenericNetlink.request(socket, family, CMD_ADD_ADDR, request);
                    return true;
                } catch (KernelErrorException e) {
                    log.add("# the kernel refused a laminar endpoint: " + e.getMessage());
                    return false;
                }
            });
            if (accepted) {
                log.add("mptcp_pm add-addr {family 2, addr4 " + LAMINAR_ADDRESS + ", flags 0x20}");
            }
            return null;
        });
    }

    private static GenericNetlink.Family resolve() {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC)) {
            return GenericNetlink.resolve(socket, "mptcp_pm");
        }
    }

    /** Runs inside the namespace. */
    private void exchanges() throws Exception {
        capture("rtnl-link-dump", NetlinkSocket.NETLINK_ROUTE, RtNetlink::dumpLinks);
        capture("rtnl-addr-dump", NetlinkSocket.NETLINK_ROUTE, RtNetlink::dumpAddresses);
        capture(
                "rtnl-route-dump-main",
                NetlinkSocket.NETLINK_ROUTE,
                socket -> RtNetlink.dumpRoutes(socket, RtNetlink.RT_TABLE_MAIN));
        GenericNetlink.Family family = capture(
                "genl-resolve-mptcp_pm",
                NetlinkSocket.NETLINK_GENERIC,
                socket -> GenericNetlink.resolve(socket, "mptcp_pm"));
        byte[] none = new AttributeEncoder().toBytes();
        capture(
                "mptcp-get-addr-dump",
                NetlinkSocket.NETLINK_GENERIC,
                socket -> GenericNetlink.dump(socket, family, CMD_GET_ADDR, none));
        capture(
                "mptcp-get-limits",
                NetlinkSocket.NETLINK_GENERIC,
                socket -> GenericNetlink.request(socket, family, CMD_GET_LIMITS, none));
        byte[] getOne = new AttributeEncoder()
                .nested(ATTR_ADDR, a -> a.u8(ADDR_ID, GET_ID))
                .toBytes();
        capture(
                "mptcp-get-addr-id-" + GET_ID,
                NetlinkSocket.NETLINK_GENERIC,
                socket -> GenericNetlink.request(socket, family, CMD_GET_ADDR, getOne));

        byte[] duplicateAddress = InetAddress.getByName(DUPLICATE_ADDRESS).getAddress();
        byte[] duplicate = new AttributeEncoder()
                .nested(
                        ATTR_ADDR,
                        a -> a.u16(ADDR_FAMILY, RtNetlink.AF_INET)
                                .u8(ADDR_ID, DUPLICATE_ID)
                                .bytes(ADDR_ADDR4, duplicateAddress)
                                .u32(ADDR_FLAGS, FLAG_SIGNAL))
                .toBytes();
        capture(
                "mptcp-add-addr-duplicate-id",
                NetlinkSocket.NETLINK_GENERIC,
                socket -> refused(() -> GenericNetlink.request(socket, family, CMD_ADD_ADDR, duplicate)));
        byte[] unknown = new AttributeEncoder()
                .nested(ATTR_ADDR, a -> a.u8(ADDR_ID, UNKNOWN_ID))
                .toBytes();
        capture(
                "mptcp-get-addr-unknown-id",
                NetlinkSocket.NETLINK_GENERIC,
                socket -> refused(() -> GenericNetlink.request(socket, family, CMD_GET_ADDR, unknown)));
    }

    private static KernelErrorException refused(Runnable request) {
        try {
            request.run();
        } catch (KernelErrorException e) {
            return e;
        }
        throw new IllegalStateException("the kernel accepted a request that should have been refused");
    }

    private <T> T capture(String name, int protocol, Function<NetlinkSocket, T> exchange) {
        List<byte[]> datagrams = new ArrayList<>();
        try (NetlinkSocket socket =
                new NetlinkSocket(new RecordingTransport(SocketTransport.open(protocol), datagrams), 0)) {
            T result = exchange.apply(socket);
            captures.put(name, datagrams);
            System.out.println(name + ": " + datagrams.size() + " datagram(s) -> " + result);
            return result;
        }
    }

    private static Map<String, String> runOracles(Netns ns) {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> oracle : ORACLES.entrySet()) {
            outputs.put(oracle.getKey(), ns.ip(oracle.getValue().toArray(String[]::new)));
        }
        return outputs;
    }

    private static String ipStderr(Netns ns, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", ns.name()));
        command.addAll(List.of(args));
        Netns.Result result = Netns.runAllowingFailure(command);
        if (result.exitCode() == 0) {
            throw new IllegalStateException(String.join(" ", command) + " should have been refused");
        }
        return result.stderr();
    }

    private void write(Map<String, String> oracles, Map<String, String> refusals) throws IOException {
        Files.createDirectories(directory.resolve("oracle"));
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, List<byte[]>> capture : captures.entrySet()) {
            StringBuilder text = new StringBuilder();
            for (byte[] datagram : capture.getValue()) {
                text.append(hex.formatHex(datagram)).append('\n');
            }
            Files.writeString(directory.resolve(capture.getKey() + ".hex"), text, StandardCharsets.UTF_8);
        }
        for (Map<String, String> files : List.of(oracles, refusals)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(
                        directory.resolve("oracle").resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        StringBuilder environment = new StringBuilder();
        environment.append("byte-order: ").append(ByteOrder.nativeOrder()).append('\n');
        environment
                .append("kernel: ")
                .append(Netns.run(List.of("uname", "-r")).strip())
                .append('\n');
        environment
                .append("iproute2: ")
                .append(Netns.run(List.of("ip", "-V")).strip())
                .append('\n');
        environment.append("os.arch: ").append(System.getProperty("os.arch")).append('\n');
        environment.append("\nnamespace setup (ip -n NS ...):\n");
        for (String line : log) {
            environment.append("  ").append(line).append('\n');
        }
        environment.append("\noracles (ip -n NS ...):\n");
        for (Map.Entry<String, List<String>> oracle : ORACLES.entrySet()) {
            environment
                    .append("  ")
                    .append(oracle.getKey())
                    .append(": ip ")
                    .append(String.join(" ", oracle.getValue()))
                    .append('\n');
        }
        environment
                .append("  ip-mptcp-endpoint-add-duplicate-id.stderr: ip mptcp endpoint add ")
                .append(DUPLICATE_ADDRESS)
                .append(" id ")
                .append(DUPLICATE_ID)
                .append(" signal\n");
        environment
                .append("  ip-mptcp-endpoint-show-unknown-id.stderr: ip mptcp endpoint show id ")
                .append(UNKNOWN_ID)
                .append('\n');
        environment.append("  genl-ctrl-get-mptcp_pm.txt: ip netns exec NS genl ctrl get name mptcp_pm\n");
        Files.writeString(directory.resolve("environment.txt"), environment, StandardCharsets.UTF_8);
        System.out.println("wrote " + captures.size() + " captures and " + (oracles.size() + refusals.size())
                + " oracle files under " + directory);
    }
}
