package org.mptcpstate.document;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.DesiredState.Address;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.DesiredState.Mptcp;
import org.mptcpstate.state.DesiredState.StandaloneEndpoint;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Position;
import org.mptcpstate.state.ShowDocument;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code show} prints loads back as a desired state: its read-only keys ignored, everything else as
 * printed. The expected states and positions are written by hand from the documents (line numbers as
 * {@code cat -n} shows them).
 */
class StateLoaderShowTest {
    private static final EndpointFlags SIGNAL = EndpointFlags.of(MptcpFlag.SIGNAL);
    private static final EndpointFlags SIGNAL_SUBFLOW = EndpointFlags.of(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW);

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    private static byte[] show(ShowWriter.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShowWriter.write(ShowWriterTest.sample(), format, out);
        return out.toByteArray();
    }

    /** StateWriterTest's sample, as src/test/resources/golden/show.yml prints it. */
    @Test
    void stateWriterYamlLoadsBack() throws Exception {
        LoadedState loaded = StateLoader.load("show.yml", show(ShowWriter.Format.YAML));
        DesiredState expected = new DesiredState(
                new Mptcp(
                        true,
                        4,
                        3,
                        List.of(
                                new StandaloneEndpoint(ip("198.51.100.2"), 8443, SIGNAL, "eth2", at("show.yml", 8, 5)),
                                new StandaloneEndpoint(
                                        ip("203.0.113.9"),
                                        null,
                                        EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.FULLMESH),
                                        null,
                                        at("show.yml", 14, 5))),
                        at("show.yml", 1, 1)),
                List.of(
                        new Interface(
                                "eth1",
                                "veth",
                                "up",
                                SIGNAL_SUBFLOW,
                                List.of(
                                        new Address(ip("192.0.2.2"), 24, SIGNAL_SUBFLOW, at("show.yml", 31, 7)),
                                        new Address(ip("2001:db8::2"), 64, SIGNAL_SUBFLOW, at("show.yml", 40, 7)),
                                        new Address(ip("fe80::1"), 64, EndpointFlags.NONE, at("show.yml", 46, 7))),
                                at("show.yml", 20, 3)),
                        new Interface("lo", "loopback", "up", null, List.of(), at("show.yml", 52, 3))));
        assertThat(loaded.state()).isEqualTo(expected);
        assertThat(loaded.warnings()).isEmpty();
    }

    /** The same document as JSON: the same state, at the JSON's positions (golden/show.json). */
    @Test
    void stateWriterJsonLoadsBack() throws Exception {
        LoadedState loaded = StateLoader.load("show.json", show(ShowWriter.Format.JSON));
        DesiredState expected = new DesiredState(
                new Mptcp(
                        true,
                        4,
                        3,
                        List.of(
                                new StandaloneEndpoint(
                                        ip("198.51.100.2"), 8443, SIGNAL, "eth2", at("show.json", 10, 7)),
                                new StandaloneEndpoint(
                                        ip("203.0.113.9"),
                                        null,
                                        EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.FULLMESH),
                                        null,
                                        at("show.json", 19, 7))),
                        at("show.json", 2, 3)),
                List.of(
                        new Interface(
                                "eth1",
                                "veth",
                                "up",
                                SIGNAL_SUBFLOW,
                                List.of(
                                        new Address(ip("192.0.2.2"), 24, SIGNAL_SUBFLOW, at("show.json", 44, 11)),
                                        new Address(ip("2001:db8::2"), 64, SIGNAL_SUBFLOW, at("show.json", 58, 11)),
                                        new Address(ip("fe80::1"), 64, EndpointFlags.NONE, at("show.json", 67, 11))),
                                at("show.json", 30, 5)),
                        new Interface("lo", "loopback", "up", null, List.of(), at("show.json", 79, 5))));
        assertThat(loaded.state()).isEqualTo(expected);
        assertThat(loaded.warnings()).isEmpty();
    }

    /** Real output of show, kept in the examples: loads as it is. */
    @Test
    void theShowOutputExampleLoads() throws Exception {
        Path file = Path.of("examples/show-output.yml");
        LoadedState loaded = StateLoader.load("show-output.yml", Files.readAllBytes(file));
        String f = "show-output.yml";
        DesiredState expected = new DesiredState(
                new Mptcp(
                        true,
                        4,
                        2,
                        List.of(new StandaloneEndpoint(ip("198.51.100.2"), 8443, SIGNAL, null, at(f, 18, 5))),
                        at(f, 11, 1)),
                List.of(
                        new Interface(
                                "eth1",
                                "veth",
                                "up",
                                SIGNAL_SUBFLOW,
                                List.of(
                                        new Address(ip("192.0.2.2"), 24, SIGNAL_SUBFLOW, at(f, 35, 7)),
                                        new Address(ip("2001:db8::2"), 64, SIGNAL_SUBFLOW, at(f, 44, 7)),
                                        new Address(
                                                ip("fe80::e8e1:4bff:fe94:90ba"), 64, EndpointFlags.NONE, at(f, 50, 7))),
                                at(f, 24, 3)),
                        new Interface(
                                "eth2",
                                "veth",
                                "up",
                                EndpointFlags.NONE,
                                List.of(
                                        new Address(ip("198.51.100.2"), 24, EndpointFlags.NONE, at(f, 63, 7)),
                                        new Address(
                                                ip("fe80::5c49:abff:fe0d:ed00"), 64, EndpointFlags.NONE, at(f, 69, 7))),
                                at(f, 54, 3)),
                        new Interface(
                                "lo",
                                "loopback",
                                "up",
                                null,
                                List.of(
                                        new Address(ip("127.0.0.1"), 8, EndpointFlags.NONE, at(f, 80, 7)),
                                        new Address(ip("::1"), 128, EndpointFlags.NONE, at(f, 87, 7))),
                                at(f, 73, 3))));
        assertThat(loaded.state()).isEqualTo(expected);
        assertThat(loaded.warnings()).isEmpty();
    }

    /**
     * show output of a link that is down and of a kernel-made (implicit) endpoint loads as it is: the planner
     * leaves both as the kernel has them, so `show | diff -` stays quiet on such a host.
     */
    @Test
    void showOutputOfADownLinkOrAnImplicitEndpointLoads() throws Exception {
        ShowDocument shown = new ShowDocument(
                null,
                List.of(new ShowDocument.Interface(
                        "eth3",
                        "veth",
                        "down",
                        "down",
                        null,
                        new ShowDocument.IpFamily(
                                false,
                                List.of(new ShowDocument.Address(
                                        ip("192.0.2.30"),
                                        24,
                                        EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.IMPLICIT),
                                        5,
                                        null,
                                        List.of()))),
                        null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShowWriter.write(shown, ShowWriter.Format.YAML, out);
        assertThat(out.toString()).isEqualTo("""
                interfaces:
                - name: eth3
                  type: veth
                  state: down
                  oper-state: down
                  ipv4:
                    default-route: false
                    address:
                    - ip: 192.0.2.30
                      prefix-length: 24
                      mptcp-flags:
                      - subflow
                      - implicit
                      mptcp-endpoint-id: 5
                """);
        DesiredState.Interface iface = StateLoader.load("show.yml", out.toByteArray())
                .state()
                .interfaces()
                .get(0);
        assertThat(iface.state()).isEqualTo("down");
        assertThat(iface.addresses().get(0).mptcpFlags())
                .isEqualTo(EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.IMPLICIT));
    }

    private static Position at(String file, int line, int column) {
        return new Position(file, line, column);
    }
}
