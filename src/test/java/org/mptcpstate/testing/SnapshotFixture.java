package org.mptcpstate.testing;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import tools.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a kernel {@link Snapshot} from a document in show's format, for golden plan fixtures
 * ({@code current.yml}). Interfaces get indexes 1, 2, ... in file order; endpoints come from each address's
 * mptcp-flags and mptcp-endpoint-id and from mptcp.endpoints.
 */
public final class SnapshotFixture {
    private SnapshotFixture() {}

    public static Snapshot of(JsonNode doc) throws Exception {
        JsonNode mptcp = doc.path("mptcp");
        List<Link> links = new ArrayList<>();
        List<LinkAddress> addresses = new ArrayList<>();
        List<KernelEndpoint> endpoints = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        Set<Integer> v4Default = new HashSet<>();
        Set<Integer> v6Default = new HashSet<>();
        int index = 0;
        for (JsonNode iface : doc.path("interfaces")) {
            index++;
            String name = iface.path("name").asString();
            String type = iface.path("type").asString("ethernet");
            indexOf.put(name, index);
            boolean loopback = type.equals("loopback");
            links.add(new Link(
                    index,
                    name,
                    loopback || type.equals("ethernet") ? null : type,
                    !iface.path("state").asString("up").equals("down"),
                    loopback,
                    loopback ? 772 : 1,
                    Snapshot.OperState.UP));
            for (String family : List.of("ipv4", "ipv6")) {
                JsonNode ip = iface.path(family);
                if (ip.path("default-route").asBoolean(false)) {
                    (family.equals("ipv4") ? v4Default : v6Default).add(index);
                }
                for (JsonNode address : ip.path("address")) {
                    InetAddress inet = IpAddresses.parse(address.path("ip").asString());
                    int flags = LinkAddress.PERMANENT;
                    for (JsonNode flag : address.path("kernel-flags")) {
                        switch (flag.asString()) {
                            case "dynamic" -> flags &= ~LinkAddress.PERMANENT;
                            case "tentative" -> flags |= LinkAddress.TENTATIVE;
                            case "dadfailed" -> flags |= LinkAddress.DADFAILED;
                            case "deprecated" -> flags |= LinkAddress.DEPRECATED;
                            default -> flags |= LinkAddress.TEMPORARY;
                        }
                    }
                    addresses.add(new LinkAddress(
                            index, inet, address.path("prefix-length").asInt(), 0, flags));
                    if (address.has("mptcp-endpoint-id")) {
                        endpoints.add(new KernelEndpoint(
                                address.path("mptcp-endpoint-id").asInt(),
                                inet,
                                0,
                                flags(address.path("mptcp-flags")),
                                index));
                    }
                }
            }
        }
        for (JsonNode endpoint : mptcp.path("endpoints")) {
            String dev = endpoint.path("interface").asString(null);
            endpoints.add(new KernelEndpoint(
                    endpoint.path("id").asInt(),
                    IpAddresses.parse(endpoint.path("address").asString()),
                    endpoint.path("port").asInt(0),
                    flags(endpoint.path("flags")),
                    dev == null ? 0 : indexOf.get(dev)));
        }
        endpoints.sort((a, b) -> Integer.compare(a.id(), b.id()));
        JsonNode limits = mptcp.path("limits");
        return new Snapshot(
                new Snapshot.Sysctls(
                        mptcp.path("enabled").asBoolean(true),
                        mptcp.path("path-manager").asString("kernel")),
                new Snapshot.Limits(
                        limits.path("subflows").asInt(2),
                        limits.path("add-addr-accepted").asInt(0)),
                endpoints,
                links,
                addresses,
                new Snapshot.DefaultRoutes(v4Default, v6Default));
    }

    private static EndpointFlags flags(JsonNode names) {
        int bits = 0;
        for (JsonNode name : names) {
            bits |= MptcpFlag.named(name.asString()).bit();
        }
        return new EndpointFlags(bits);
    }
}
