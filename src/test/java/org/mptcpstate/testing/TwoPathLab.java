package org.mptcpstate.testing;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two-path lab of issue 15, built in namespaces the test owns (documentation addresses only), and the kernel's
 * own tools read as oracles: {@code ss -tni} and {@code ss -Mi} for subflows, {@code ip -s -j link} for bytes per
 * interface, {@code ip -j neigh} for neighbour entries, {@code nstat} for the MPTCP counters.
 *
 * <pre>
 * routed: client c-a 192.0.2.1/24    - router r-ca 192.0.2.254/24
 *                c-b 198.51.100.1/24 - router r-cb 198.51.100.254/24
 *         server s-a 203.0.113.1/26  - router r-sa 203.0.113.62/26    (the address clients connect to)
 *                s-b 203.0.113.65/26 - router r-sb 203.0.113.126/26   (the second, announced address)
 *         client: default via 192.0.2.254 dev c-a; server: default via 203.0.113.62 dev s-a
 * direct: client c-a - server s-a 192.0.2.254/24, c-b - s-b 198.51.100.254/24, 203.0.113.1/32 on the server's
 *         lo; the client's addresses and routes are the routed lab's
 * </pre>
 *
 * Every link between the client and the server is shaped to 20 Mbit/s (tbf, egress of c-a, c-b, s-a, s-b), so a
 * transfer of a few MB needs both paths; rp_filter is 0 and IPv6 is off (no link-local addresses).
 */
public final class TwoPathLab implements AutoCloseable {
    public static final String CLIENT_A = "192.0.2.1";
    public static final String CLIENT_B = "198.51.100.1";
    public static final String SERVER = "203.0.113.1";
    public static final String SERVER_B = "203.0.113.65";
    public static final int PORT = 5201;
    public static final int RULE_TABLE = 100;

    public final Netns client;
    public final Netns router;
    public final Netns server;

    private TwoPathLab(Netns client, Netns router, Netns server) {
        this.client = client;
        this.router = router;
        this.server = server;
    }

    public static TwoPathLab routed() {
        Netns client = namespace("lab-c");
        Netns router = namespace("lab-r");
        Netns server = namespace("lab-s");
        router.sysctl("net.ipv4.ip_forward", "1");
        veth(client, "c-a", CLIENT_A + "/24", router, "r-ca", "192.0.2.254/24");
        veth(client, "c-b", CLIENT_B + "/24", router, "r-cb", "198.51.100.254/24");
        veth(server, "s-a", SERVER + "/26", router, "r-sa", "203.0.113.62/26");
        veth(server, "s-b", SERVER_B + "/26", router, "r-sb", "203.0.113.126/26");
        client.ip("route", "add", "default", "via", "192.0.2.254", "dev", "c-a");
        server.ip("route", "add", "default", "via", "203.0.113.62", "dev", "s-a");
        shape(client, server);
        return new TwoPathLab(client, router, server);
    }

    public static TwoPathLab direct() {
        Netns client = namespace("lab-c");
        Netns server = namespace("lab-s");
        veth(client, "c-a", CLIENT_A + "/24", server, "s-a", "192.0.2.254/24");
        veth(client, "c-b", CLIENT_B + "/24", server, "s-b", "198.51.100.254/24");
        server.ip("addr", "add", SERVER + "/32", "dev", "lo");
        client.ip("route", "add", "default", "via", "192.0.2.254", "dev", "c-a");
        shape(client, server);
        return new TwoPathLab(client, null, server);
    }

    private static Netns namespace(String prefix) {
        Netns ns = Netns.create(prefix);
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        ns.sysctl("net.ipv4.conf.all.rp_filter", "0");
        ns.sysctl("net.ipv4.conf.default.rp_filter", "0");
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    private static void veth(Netns a, String aName, String aAddress, Netns b, String bName, String bAddress) {
        a.ip("link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.name());
        a.ip("addr", "add", aAddress, "dev", aName);
        b.ip("addr", "add", bAddress, "dev", bName);
        a.ip("link", "set", aName, "up");
        b.ip("link", "set", bName, "up");
    }

    private static void shape(Netns client, Netns server) {
        for (String link : List.of("c-a", "c-b")) {
            client.exec(
                    "tc", "qdisc", "replace", "dev", link, "root", "tbf", "rate", "20mbit", "burst", "32kbit",
                    "latency", "100ms");
        }
        for (String link : List.of("s-a", "s-b")) {
            server.exec(
                    "tc", "qdisc", "replace", "dev", link, "root", "tbf", "rate", "20mbit", "burst", "32kbit",
                    "latency", "100ms");
        }
    }

    /** The client's per-source rule for its second address (table 100, default via 198.51.100.254 dev c-b). */
    public void clientRule(boolean present) {
        rule(client, CLIENT_B, "198.51.100.0/24", "c-b", "198.51.100.254", present);
    }

    /** The server's per-source rule for its second address (table 100, default via 203.0.113.126 dev s-b). */
    public void serverRule(boolean present) {
        rule(server, SERVER_B, "203.0.113.64/26", "s-b", "203.0.113.126", present);
    }

    private static void rule(Netns ns, String source, String prefix, String link, String gateway, boolean present) {
        String table = Integer.toString(RULE_TABLE);
        boolean there = ns.ip("rule", "show").contains("from " + source + " lookup " + table);
        if (present && !there) {
            ns.ip("rule", "add", "from", source, "table", table);
            ns.ip("route", "replace", prefix, "dev", link, "table", table);
            ns.ip("route", "replace", "default", "via", gateway, "dev", link, "table", table);
        } else if (!present && there) {
            ns.ip("rule", "del", "from", source, "table", table);
        }
    }

    /** An established MPTCP subflow as {@code ss -tni} prints it. */
    public record Subflow(
            String local,
            int localPort,
            String device,
            String remote,
            int remotePort,
            long bytesAcked,
            long bytesReceived) {
        /** {@code 198.51.100.1 -> 203.0.113.1}. */
        public String pair() {
            return local + " -> " + remote;
        }
    }

    private static final Pattern ENDPOINT = Pattern.compile("\\[?([0-9a-f.:]+?)\\]?(?:%(\\S+))?:(\\d+)");

    /** The established MPTCP subflows of the lab's port, by {@code ss -tni} (TCP sockets with the mptcp ULP). */
    public static List<Subflow> subflows(Netns ns) {
        String out =
                ns.exec("ss", "-tniH", "state", "established", "( sport = :" + PORT + " or dport = :" + PORT + " )");
        List<Subflow> subflows = new ArrayList<>();
        String[] lines = out.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("\t") || lines[i].isBlank() || !lines[i + 1].contains("tcp-ulp-mptcp")) {
                continue;
            }
            String[] words = lines[i].trim().split("\\s+");
            Matcher local = ENDPOINT.matcher(words[2]);
            Matcher remote = ENDPOINT.matcher(words[3]);
            if (!local.matches() || !remote.matches()) {
                throw new AssertionError("ss printed an address it cannot parse: " + lines[i]);
            }
            subflows.add(new Subflow(
                    local.group(1),
                    Integer.parseInt(local.group(3)),
                    local.group(2),
                    remote.group(1),
                    Integer.parseInt(remote.group(3)),
                    field(lines[i + 1], "bytes_acked"),
                    field(lines[i + 1], "bytes_received")));
        }
        return subflows;
    }

    private static long field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + name + ":(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** {@code ss -Mni}: the MPTCP connections' info lines (one per connection, e.g. {@code subflows:2 ...}). */
    public static List<String> mptcpInfo(Netns ns) {
        List<String> lines = new ArrayList<>();
        for (String line : ns.exec("ss", "-MniH", "state", "established").split("\n")) {
            if (line.startsWith("\t")) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    /** The bytes an interface has sent, by {@code ip -s -j link}. */
    public static long txBytes(Netns ns, String link) {
        JsonNode links = Documents.json(ns.ip("-s", "-j", "link", "show", "dev", link));
        return links.get(0).path("stats64").path("tx").path("bytes").asLong();
    }

    /** The bytes an interface has received, by {@code ip -s -j link}. */
    public static long rxBytes(Netns ns, String link) {
        JsonNode links = Documents.json(ns.ip("-s", "-j", "link", "show", "dev", link));
        return links.get(0).path("stats64").path("rx").path("bytes").asLong();
    }

    /** The state of the neighbour entry of {@code address} on {@code link} by {@code ip -j neigh}, or "none". */
    public static String neighbourState(Netns ns, String link, String address) {
        for (JsonNode entry : Documents.elements(Documents.json(ns.ip("-j", "neigh", "show", "dev", link)))) {
            if (address.equals(entry.path("dst").asString())) {
                List<String> states = new ArrayList<>();
                for (JsonNode state : entry.path("state")) {
                    states.add(state.asString());
                }
                return String.join(",", states);
            }
        }
        return "none";
    }

    /** The namespace's MPTCP counters by {@code nstat -asz} (without the {@code MPTcpExt} prefix). */
    public static Map<String, Long> nstat(Netns ns) {
        Map<String, Long> counters = new TreeMap<>();
        for (String line : ns.exec("nstat", "-asz").split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].startsWith("MPTcpExt")) {
                counters.put(words[0].substring("MPTcpExt".length()), Long.parseLong(words[1]));
            }
        }
        return counters;
    }

    /** Polls {@code condition} every 100 ms for up to {@code seconds}; false when it never held. */
    public static boolean await(double seconds, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        for (Netns ns : new Netns[] {client, router, server}) {
            if (ns != null) {
                ns.close();
            }
        }
    }
}
