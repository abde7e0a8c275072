package org.mptcpstate.kernel;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.kernel.KernelEvents.Wait;
import org.mptcpstate.netlink.NetworkNamespace;
import org.mptcpstate.testing.Netns;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event port on the real kernel: what `ip` does to links and addresses comes back decoded, in order; and a
 * subscription that overflowed is replaced, so nothing older than the loss is left to replay.
 */
@Tag("kernel")
class NetlinkEventsIT {
    private static final InetAddress ADDRESS = address("192.0.2.2");

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T inside(Netns ns, Callable<T> work) throws Exception {
        return NetworkNamespace.call(ns.path(), work);
    }

    /** Waits and takes decoded events until {@code count} came (or 10 s passed). */
    private static List<NetworkChange> collect(NetlinkEvents events, int count) {
        List<NetworkChange> all = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (all.size() < count && System.nanoTime() < deadline) {
            Wait wait = events.await(200);
            assertThat(wait).isNotEqualTo(Wait.LOST);
            List<NetworkChange> taken = events.takeChanges();
            assertThat(taken).as("decoded").isNotNull();
            all.addAll(taken);
        }
        return all;
    }

    @Test
    void addressAndLinkEventsComeBackDecodedInOrder() throws Exception {
        try (Netns ns = Netns.create("events")) {
            ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1"); // no link-local addresses among the events
            List<NetworkChange> changes = inside(ns, () -> {
                try (NetlinkEvents events = NetlinkEvents.open()) {
                    ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
                    ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
                    ns.ip("addr", "del", "192.0.2.2/24", "dev", "eth1");
                    ns.ip("link", "del", "eth1");
                    return collect(events, 6);
                }
            });
            List<String> seen = new ArrayList<>();
            int index = -1;
            for (NetworkChange change : changes) {
                if (change instanceof NetworkChange.LinkChanged linked
                        && "eth1".equals(linked.link().name())) {
                    index = linked.link().index();
                    seen.add("link eth1");
                } else if (change instanceof NetworkChange.AddressAdded added
                        && added.address().address().equals(ADDRESS)) {
                    assertThat(added.address().interfaceIndex()).isEqualTo(index);
                    assertThat(added.address().prefixLength()).isEqualTo(24);
                    seen.add("+ address");
                } else if (change instanceof NetworkChange.AddressRemoved removed
                        && removed.address().address().equals(ADDRESS)) {
                    assertThat(removed.address().interfaceIndex()).isEqualTo(index);
                    seen.add("- address");
                } else if (change instanceof NetworkChange.LinkRemoved removed && removed.index() == index) {
                    seen.add("- link");
                }
            }
            assertThat(seen).as("in %s", changes).containsSubsequence("link eth1", "+ address", "- address", "- link");
        }
    }

    @Test
    void idleLooksAndLeavesEventsAndWakeUpsToTheNextWait() throws Exception {
        try (Netns ns = Netns.create("events-warm")) {
            ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
            inside(ns, () -> {
                try (NetlinkEvents events = NetlinkEvents.open()) {
                    assertThat(events.idle()).isTrue();
                    assertThat(events.await(0)).isEqualTo(Wait.TIMEOUT);

                    events.wakeUp();
                    assertThat(events.idle()).isFalse();
                    assertThat(events.idle()).as("asked again").isFalse();
                    assertThat(events.await(0)).as("the wake-up is kept").isEqualTo(Wait.WOKEN);
                    assertThat(events.idle()).isTrue();

                    ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
                    assertThat(events.idle()).isFalse();
                    assertThat(collect(events, 1))
                            .as("the event is kept")
                            .anySatisfy(change -> assertThat(change)
                                    .isInstanceOfSatisfying(
                                            NetworkChange.AddressAdded.class,
                                            added -> assertThat(added.address().address())
                                                    .isEqualTo(ADDRESS)));
                    return null;
                }
            });
        }
    }

    @Test
    void aSubscriptionThatOverflowedIsReplacedAndNothingStaleIsLeft() throws Exception {
        try (Netns ns = Netns.create("events")) {
            ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1"); // no duplicate address detection finishing later
            ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
            ns.ip("link", "set", "eth1", "up");
            Path batch = Files.createTempFile("events-", ".batch");
            try {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 10_000; i++) {
                    lines.append("address ").append(i % 2 == 0 ? "add" : "del").append(" 203.0.113.10/32 dev eth1\n");
                }
                Files.writeString(batch, lines);
                inside(ns, () -> {
                    try (NetlinkEvents events = NetlinkEvents.open()) {
                        // 10,000 events unread: far more than the socket's buffer holds
                        ns.ip("-batch", batch.toString());
                        assertThat(events.await(1000)).isEqualTo(Wait.LOST);
                        assertThat(events.takeChanges())
                                .as("not known after a loss")
                                .isNull();
                        // the new subscription holds nothing from before the loss: the next events are new ones
                        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
                        List<NetworkChange> next = collect(events, 1);
                        assertThat(next).hasSize(1);
                        assertThat(next.get(0)).isInstanceOf(NetworkChange.AddressAdded.class);
                        assertThat(((NetworkChange.AddressAdded) next.get(0))
                                        .address()
                                        .address())
                                .isEqualTo(ADDRESS);
                    }
                    return null;
                });
            } finally {
                Files.deleteIfExists(batch);
            }
        }
    }
}
