package org.mptcpstate.state;

import java.util.ArrayList;
import java.util.List;

/**
 * nmstate's interface types and the kernel's link kinds, in one table: which links a {@code type} in a state file
 * matches, and which types nmstate keys apart from kernel interfaces. A file's type matches a link when it is
 * left out or {@code unknown}, when it is the link's own type as show prints it ({@link Snapshot.Link#type()}:
 * the kind, {@code ethernet} for a kind-less Ethernet device, {@code loopback} for lo), or when the table maps
 * it to that type. nmstate treats veth as ethernet (its CI runs its MPTCP tests on veth links), so
 * {@code ethernet} matches a veth link.
 */
public final class InterfaceTypes {
    /** nmstate's kernel interface types, each with the link types it matches. */
    private static final String[][] KERNEL_TYPES = {
        {"ethernet", "ethernet", "veth"},
        {"veth", "veth"},
        {"loopback", "loopback"},
        {"bond", "bond"},
        {"linux-bridge", "bridge"},
        {"vlan", "vlan"},
        {"vxlan", "vxlan"},
        {"mac-vlan", "macvlan"},
        {"mac-vtap", "macvtap"},
        {"ipvlan", "ipvlan"},
        {"vrf", "vrf"},
        {"dummy", "dummy"},
        {"tun", "tun"},
        {"ovs-interface", "openvswitch"},
        {"hsr", "hsr"},
        {"macsec", "macsec"},
        {"xfrm", "xfrm"},
        {"infiniband", "infiniband", "ipoib"},
        {"ip-tunnel", "ipip", "sit", "ip6tnl"},
        {"unknown"},
    };

    /** nmstate's types that are no kernel links: an OVS bridge (its internal interface is an ovs-interface), IPsec. */
    private static final String[] NOT_LINKS = {"ovs-bridge", "ipsec"};

    private InterfaceTypes() {}

    /** Whether a link of {@code linkType} ({@link Snapshot.Link#type()}) is what {@code fileType} asks for. */
    public static boolean matches(String fileType, String linkType) {
        if (fileType == null || fileType.equals("unknown") || fileType.equals(linkType)) {
            return true;
        }
        for (String[] row : KERNEL_TYPES) {
            if (row[0].equals(fileType)) {
                for (int i = 1; i < row.length; i++) {
                    if (row[i].equals(linkType)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /** Whether an entry of this type names a kernel link: all but ovs-bridge and ipsec. */
    public static boolean isLink(String type) {
        for (String notLink : NOT_LINKS) {
            if (notLink.equals(type)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether nmstate keys this type as a kernel interface, by name alone: its known kernel types and a missing
     * type. The others (ovs-bridge, ipsec, and any type nmstate does not know) are keyed by name and type, so an
     * entry of such a type may share its name with a kernel interface's entry.
     */
    public static boolean isKeyedByName(String type) {
        if (type == null) {
            return true;
        }
        for (String[] row : KERNEL_TYPES) {
            if (row[0].equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** Whether nmstate knows this type (it checks the keys of such an interface; of others, none). */
    public static boolean isKnown(String type) {
        return isKeyedByName(type) || !isLink(type);
    }

    /** nmstate's type names this table knows, kernel types first, then ovs-bridge and ipsec. */
    public static List<String> nmstateTypes() {
        List<String> names = new ArrayList<>();
        for (String[] row : KERNEL_TYPES) {
            names.add(row[0]);
        }
        names.addAll(List.of(NOT_LINKS));
        return names;
    }

    /** The table as docs/state-file.md shows it. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| `type` in the file | matches links of type |\n|---|---|\n");
        for (String[] row : KERNEL_TYPES) {
            out.append("| `").append(row[0]).append("` | ");
            if (row.length == 1) {
                out.append("any");
            }
            for (int i = 1; i < row.length; i++) {
                out.append(i > 1 ? ", " : "").append('`').append(row[i]).append('`');
            }
            out.append(" |\n");
        }
        out.append("| `ovs-bridge`, `ipsec` | none: not a kernel link; MPTCP settings there are not applied |\n");
        out.append("| left out | any |\n");
        out.append("| any other | a link of exactly that type (`team`, `wireguard`, `bridge`, ...) |\n");
        return out.toString();
    }
}
