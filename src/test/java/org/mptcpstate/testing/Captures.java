package org.mptcpstate.testing;

import org.junit.jupiter.api.Assumptions;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.state.MptcpFlag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kernel replies captured by {@code org.mptcpstate.netlink.CaptureKernelReplies} (test resources under
 * {@code captures/}, one datagram per line in hex) and the iproute2 outputs captured with them
 * ({@code captures/oracle/}), which are the expected side of every codec test.
 */
public final class Captures {
    private static final String GENL_ORACLE = "genl-ctrl-get-mptcp_pm.txt";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Captures() {}

    /** The received datagrams of one exchange, in order; skips the test when the byte order differs. */
    public static List<byte[]> datagrams(String name) {
        requireCaptureByteOrder();
        List<byte[]> datagrams = new ArrayList<>();
        for (String line : resource(name + ".hex").split("\n")) {
            if (!line.isBlank()) {
                datagrams.add(HexFormat.of().parseHex(line.strip()));
            }
        }
        if (datagrams.isEmpty()) {
            throw new AssertionError("capture " + name + " holds no datagram");
        }
        return datagrams;
    }

    /** Every message of every datagram of one exchange, split by the product's parser. */
    public static List<NetlinkMessage> messages(String name) {
        List<NetlinkMessage> messages = new ArrayList<>();
        for (byte[] datagram : datagrams(name)) {
            messages.addAll(NetlinkMessage.parseAll(ByteBuffer.wrap(datagram)));
        }
        return messages;
    }

    /** The messages that carry data: everything but the control types below NLMSG_MIN_TYPE (0x10). */
    public static List<NetlinkMessage> dataMessages(String name) {
        return messages(name).stream().filter(m -> m.type() >= 0x10).toList();
    }

    public static boolean exists(String name) {
        return Captures.class.getResource("/captures/" + name + ".hex") != null;
    }

    /** Names of every capture, for tests that walk all of them. */
    public static List<String> all() {
        return Stream.of(
                        "rtnl-link-dump",
                        "rtnl-addr-dump",
                        "rtnl-route-dump-main",
                        "genl-resolve-mptcp_pm",
                        "mptcp-get-addr-dump",
                        "mptcp-get-limits",
                        "mptcp-get-addr-id-3",
                        "mptcp-add-addr-laminar",
                        "mptcp-add-addr-duplicate-id",
                        "mptcp-get-addr-unknown-id")
                .filter(Captures::exists)
                .toList();
    }

    public static String oracleText(String file) {
        return resource("oracle/" + file);
    }

    public static JsonNode oracleJson(String file) {
        return JSON.readTree(oracleText(file));
    }

    /** Interface indexes by name, as {@code ip -j link show} printed them. */
    public static Map<String, Integer> ifindexByName() {
        Map<String, Integer> indexes = new HashMap<>();
        for (JsonNode link : oracleJson("ip-link-show.json")) {
            indexes.put(link.get("ifname").asString(), link.get("ifindex").asInt());
        }
        return indexes;
    }

    /** The endpoint flag names iproute2 printed as {@code "name": true}. */
    public static List<String> oracleFlagNames(JsonNode endpoint) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : endpoint.properties()) {
            if (property.getValue().isBoolean() && property.getValue().booleanValue()) {
                names.add(property.getKey());
            }
        }
        return names;
    }

    /**
     * The endpoint flag bits iproute2 printed: its named flags (mapped to bits by mptcpstate's names, which are
     * iproute2's), plus the bits it has no name for, which it prints as {@code "rawflags": "HEX"}.
     */
    public static int oracleFlagBits(JsonNode endpoint) {
        int bits = 0;
        for (String name : oracleFlagNames(endpoint)) {
            MptcpFlag flag = MptcpFlag.named(name);
            if (flag == null) {
                throw new AssertionError("iproute2 flag name '" + name + "' is unknown to mptcpstate");
            }
            bits |= flag.bit();
        }
        if (endpoint.has("rawflags")) {
            bits |= Integer.parseInt(endpoint.get("rawflags").asString(), 16);
        }
        return bits;
    }

    /** The interface index of an endpoint's {@code dev}, through {@code ip -j link show}; 0 without dev. */
    public static int oracleIfindex(JsonNode endpoint) {
        if (!endpoint.has("dev")) {
            return 0;
        }
        Integer index = ifindexByName().get(endpoint.get("dev").asString());
        if (index == null) {
            throw new AssertionError("ip link show has no link " + endpoint.get("dev"));
        }
        return index;
    }

    /** The generic netlink id of mptcp_pm, as {@code genl ctrl get name mptcp_pm} printed it. */
    public static int oracleFamilyId() {
        return Integer.parseInt(genlField("ID: 0x([0-9a-f]+)"), 16);
    }

    /** The mptcp_pm family version, as genl printed it. */
    public static int oracleFamilyVersion() {
        return Integer.parseInt(genlField("Version: 0x([0-9a-f]+)"), 16);
    }

    /** The multicast groups of mptcp_pm by name, as genl printed them ({@code ID-0x9  name: mptcp_pm_events}). */
    public static Map<String, Integer> oracleMulticastGroups() {
        Map<String, Integer> groups = new LinkedHashMap<>();
        Matcher m = Pattern.compile("ID-0x([0-9a-f]+)\\s+name: (\\S+)").matcher(oracleText(GENL_ORACLE));
        while (m.find()) {
            groups.put(m.group(2), Integer.parseInt(m.group(1), 16));
        }
        return groups;
    }

    private static String genlField(String regex) {
        Matcher m = Pattern.compile(regex).matcher(oracleText(GENL_ORACLE));
        if (!m.find()) {
            throw new AssertionError(GENL_ORACLE + " has no match for " + regex);
        }
        return m.group(1);
    }

    /**
     * The text of an iproute2 error line ({@code Error: TEXT.}): iproute2 prints the kernel's extended-ack
     * message after "Error: " and adds a full stop unless the message ends with one.
     */
    public static String iproute2ErrorText(String file) {
        String line = oracleText(file).strip();
        if (!line.startsWith("Error: ") || !line.endsWith(".")) {
            throw new AssertionError(file + " is not an iproute2 error line: " + line);
        }
        return line.substring("Error: ".length(), line.length() - 1);
    }

    private static void requireCaptureByteOrder() {
        String environment = resource("environment.txt");
        String order = environment
                .lines()
                .filter(l -> l.startsWith("byte-order: "))
                .findFirst()
                .map(l -> l.substring("byte-order: ".length()).strip())
                .orElseThrow(() -> new AssertionError("environment.txt names no byte order"));
        Assumptions.assumeTrue(
                order.equals(ByteOrder.nativeOrder().toString()),
                "captures were made on a " + order + " machine; this one is " + ByteOrder.nativeOrder());
    }

    private static String resource(String path) {
        try (InputStream in = Captures.class.getResourceAsStream("/captures/" + path)) {
            if (in == null) {
                throw new AssertionError("no test resource captures/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
