package org.mptcpstate.netlink;

import org.mptcpstate.testing.MptcpTraffic;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.TwoPathLab;

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
 * Captures what {@code check} reads of the data plane, byte-exact, with the kernel's own tools' view of the same
 * namespace at the same time: the sock_diag dumps of a live MPTCP connection (client and server side) against
 * {@code ss -Mni} and {@code ss -tni}, the neighbour table against {@code ip -j neigh}, and route lookups (with an
 * output interface, RTM_F_LOOKUP_TABLE) against {@code ip route get}. Like {@link CaptureKernelReplies}, it is run by
 * hand, as root, and the codec tests decode the files it writes with no root:
 *
 * <pre>
 *   mvn -B -q -o test-compile
 *   mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *       org.mptcpstate.netlink.CaptureDataPlaneReplies src/test/resources/captures
 * </pre>
 *
 * <p>It builds {@link TwoPathLab#routed()} with both per-source rules, a subflow endpoint 198.51.100.1 on c-b
 * (client, limits 2 and 1) and a signal endpoint 203.0.113.65 on s-b (server, limits 2 and 0), opens one MPTCP
 * connection (three subflows), sends 100 kB and leaves it idle, so that the byte counters hold still while the
 * dumps and {@code ss} are taken (twice, before and after: they must agree). Neighbour entries in each NUD state
 * are made on the client's c-a with {@code ip neigh replace ... nud STATE}. The namespaces are deleted at the end.
 */
public final class CaptureDataPlaneReplies {
    /** Neighbour entries made on the client's c-a: address suffix and NUD state as {@code ip neigh} names it. */
    static final Map<String, String> NEIGHBOURS = neighbours();

    private static Map<String, String> neighbours() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("192.0.2.10", "permanent");
        entries.put("192.0.2.11", "noarp");
        entries.put("192.0.2.12", "reachable");
        entries.put("192.0.2.13", "stale");
        entries.put("192.0.2.14", "failed");
        entries.put("192.0.2.15", "incomplete");
        return entries;
    }

    /** The route lookups captured on the client: name, source (or null), destination, output interface name. */
    static final List<String[]> LOOKUPS = List.of(
            new String[] {"rtnl-route-get-rule", "198.51.100.1", "203.0.113.1", "c-b"},
            new String[] {"rtnl-route-get-on-link-guess", "192.0.2.1", "203.0.113.1", "c-b"},
            new String[] {"rtnl-route-get-pick-source", null, "203.0.113.1", null});

    private final Path directory;
    private final Map<String, List<byte[]>> captures = new LinkedHashMap<>();
    private final Map<String, String> oracles = new LinkedHashMap<>();

    private CaptureDataPlaneReplies(Path directory) {
        this.directory = directory;
    }

    public static void main(String[] args) throws Exception {
        new CaptureDataPlaneReplies(Path.of(args.length > 0 ? args[0] : "src/test/resources/captures")).run();
    }

    private void run() throws Exception {
        try (TwoPathLab lab = TwoPathLab.routed()) {
            lab.clientRule(true);
            lab.serverRule(true);
            lab.client.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "1");
            lab.client.ip("mptcp", "endpoint", "add", TwoPathLab.CLIENT_B, "dev", "c-b", "subflow");
            lab.server.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "0");
            lab.server.ip("mptcp", "endpoint", "add", TwoPathLab.SERVER_B, "dev", "s-b", "signal");
            for (Map.Entry<String, String> entry : NEIGHBOURS.entrySet()) {
                lab.client.ip(
                        "neigh",
                        "replace",
                        entry.getKey(),
                        "dev",
                        "c-a",
                        "lladdr",
                        "02:00:00:00:00:0"
                                + entry.getKey().substring(entry.getKey().length() - 1),
                        "nud",
                        entry.getValue());
            }
            MptcpTraffic server = MptcpTraffic.server(lab.server, TwoPathLab.PORT);
            try (MptcpTraffic client = MptcpTraffic.client(lab.client, TwoPathLab.SERVER, TwoPathLab.PORT)) {
                if (!TwoPathLab.await(10, () -> TwoPathLab.subflows(lab.client).size() == 3)) {
                    throw new IllegalStateException(
                            "the connection has not 3 subflows: " + TwoPathLab.subflows(lab.client));
                }
                client.upload(100_000);
                Map<String, String> before = tools(lab);
                capture(lab.client, "diag-client");
                capture(lab.server, "diag-server");
                NetworkNamespace.call(lab.client.path(), () -> {
                    record("rtnl-neigh-dump", NetlinkSocket.NETLINK_ROUTE, RtNetlink::dumpNeighbours);
                    for (String[] lookup : LOOKUPS) {
                        InetAddress source = lookup[1] == null ? null : InetAddress.getByName(lookup[1]);
                        InetAddress destination = InetAddress.getByName(lookup[2]);
                        int oif = lookup[3] == null ? 0 : index(lab.client, lookup[3]);
                        record(
                                lookup[0],
                                NetlinkSocket.NETLINK_ROUTE,
                                socket -> RtNetlink.lookupRoute(socket, source, destination, oif));
                    }
                    return null;
                });
                NetworkNamespace.call(lab.router.path(), () -> {
                    InetAddress destination = InetAddress.getByName("203.0.113.254");
                    record("rtnl-route-get-unreachable", NetlinkSocket.NETLINK_ROUTE, socket -> {
                        try {
                            return RtNetlink.lookupRoute(socket, null, destination, 0);
                        } catch (KernelErrorException e) {
                            return e;
                        }
                    });
                    return null;
                });
                Map<String, String> after = tools(lab);
                for (String name : List.of("ss-Mni-client.txt", "ss-Mni-server.txt", "ip-neigh-show.json")) {
                    if (!stable(before.get(name)).equals(stable(after.get(name)))) {
                        throw new IllegalStateException("the namespace changed while it was captured: " + name);
                    }
                }
                oracles.putAll(before);
                oracles.put("ip-link-show-client.json", lab.client.ip("-j", "link", "show"));
                for (String[] lookup : LOOKUPS) {
                    List<String> words = new ArrayList<>(List.of("route", "get", lookup[2]));
                    if (lookup[1] != null) {
                        words.addAll(List.of("from", lookup[1]));
                    }
                    if (lookup[3] != null) {
                        words.addAll(List.of("oif", lookup[3]));
                    }
                    oracles.put(
                            "ip-" + lookup[0].substring("rtnl-".length()) + ".txt",
                            lab.client.ip(words.toArray(String[]::new)));
                    List<String> fibmatch =
                            new ArrayList<>(List.of("ip", "-n", lab.client.name(), "route", "get", "fibmatch"));
                    fibmatch.addAll(words.subList(2, words.size()));
                    Netns.Result result = Netns.runAllowingFailure(fibmatch);
                    oracles.put(
                            "ip-" + lookup[0].substring("rtnl-".length()) + "-fibmatch.txt",
                            result.exitCode() == 0 ? result.stdout() : result.stderr());
                }
                Netns.Result unreachable = Netns.runAllowingFailure(
                        List.of("ip", "-n", lab.router.name(), "route", "get", "203.0.113.254"));
                oracles.put("ip-route-get-unreachable.stderr", unreachable.stderr());
            } finally {
                server.close();
            }
        }
        write();
    }

    /** ss and ip neigh, as the codec tests compare them. */
    private static Map<String, String> tools(TwoPathLab lab) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("ss-Mni-client.txt", lab.client.exec("ss", "-Mni"));
        outputs.put("ss-tni-client.txt", lab.client.exec("ss", "-tni"));
        outputs.put("ss-Mni-server.txt", lab.server.exec("ss", "-Mni"));
        outputs.put("ss-tni-server.txt", lab.server.exec("ss", "-tni"));
        outputs.put("ip-neigh-show.json", lab.client.ip("-j", "neigh", "show", "nud", "all"));
        return outputs;
    }

    /** The fields that hold still on an idle connection (ss -i also prints timers, which move). */
    private static String stable(String text) {
        return text.replaceAll(
                "(lastsnd|lastrcv|lastack|busy|rto|rtt|ato|pacing_rate|delivery_rate|send|bbr):\\S+", "");
    }

    private static int index(Netns ns, String link) {
        String text = ns.ip("-o", "link", "show", "dev", link);
        return Integer.parseInt(text.substring(0, text.indexOf(':')));
    }

    /** The MPTCP and TCP dumps of one namespace, IPv4 (the lab has no IPv6). */
    private void capture(Netns ns, String prefix) throws Exception {
        NetworkNamespace.call(ns.path(), () -> {
            record(
                    prefix + "-mptcp",
                    4,
                    socket -> InetDiag.dump(
                            socket, RtNetlink.AF_INET, InetDiag.IPPROTO_MPTCP, InetDiag.EXT_INFO, InetDiag.ALL_STATES));
            record(
                    prefix + "-tcp",
                    4,
                    socket -> InetDiag.dump(
                            socket, RtNetlink.AF_INET, InetDiag.IPPROTO_TCP, InetDiag.EXT_INFO, InetDiag.ALL_STATES));
            return null;
        });
    }

    private <T> T record(String name, int protocol, Function<NetlinkSocket, T> exchange) {
        List<byte[]> datagrams = new ArrayList<>();
        try (NetlinkSocket socket =
                new NetlinkSocket(new RecordingTransport(SocketTransport.open(protocol), datagrams), 0)) {
            T result = exchange.apply(socket);
            captures.put(name, datagrams);
            System.out.println(name + ": " + datagrams.size() + " datagram(s) -> " + result);
            return result;
        }
    }

    private void write() throws IOException {
        Files.createDirectories(directory.resolve("oracle"));
        HexFormat hex = HexFormat.of();
        for (Map.Entry<String, List<byte[]>> capture : captures.entrySet()) {
            StringBuilder text = new StringBuilder();
            for (byte[] datagram : capture.getValue()) {
                text.append(hex.formatHex(datagram)).append('\n');
            }
            Files.writeString(directory.resolve(capture.getKey() + ".hex"), text, StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> file : oracles.entrySet()) {
            Files.writeString(
                    directory.resolve("oracle").resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        String environment = "byte-order: " + ByteOrder.nativeOrder() + "\nkernel: "
                + Netns.run(List.of("uname", "-r")).strip() + "\niproute2: "
                + Netns.run(List.of("ip", "-V")).strip()
                + "\n\nmade by CaptureDataPlaneReplies: TwoPathLab.routed() with both per-source rules;\n"
                + "client: ip mptcp limits set subflows 2 add_addr_accepted 1; ip mptcp endpoint add 198.51.100.1 dev"
                + " c-b subflow\nserver: ip mptcp limits set subflows 2 add_addr_accepted 0; ip mptcp endpoint add"
                + " 203.0.113.65 dev s-b signal\none MPTCP connection 192.0.2.1 -> 203.0.113.1:5201 (three subflows),"
                + " 100000 bytes sent, then idle\nneighbours on the client's c-a: " + NEIGHBOURS + "\n";
        Files.writeString(directory.resolve("environment-data-plane.txt"), environment, StandardCharsets.UTF_8);
        System.out.println(
                "wrote " + captures.size() + " captures and " + oracles.size() + " oracle files under " + directory);
    }
}
