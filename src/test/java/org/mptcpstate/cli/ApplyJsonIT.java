package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.IprouteOracle;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * apply --json, --dry-run --json and --detailed-exitcode on the real kernel, and errors under --json, judged
 * with iproute2 (`ip -j mptcp endpoint show`, `ip mptcp limits`) and parsed with Jackson.
 */
@Tag("kernel")
class ApplyJsonIT {
    /** Limits written as strings, the way Ansible's templating writes `{{ n | int }}`. */
    private static final String STATE = "mptcp:\n  limits:\n    subflows: \"4\"\n    add-addr-accepted: \"1\"\n"
            + "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n";

    private static Netns namespace() {
        Netns ns = Netns.create("ajson");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("link", "set", "eth2", "up");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
        ns.ip("addr", "add", "2001:db8::2/64", "dev", "eth1", "nodad");
        ns.awaitAddressesSettled();
        ns.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "0");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "id", "5", "dev", "eth1", "signal");
        return ns;
    }

    private static JsonNode oneDocument(Run run) {
        assertThat(run.stderr()).as("stderr under --json").isEmpty();
        assertThat(run.stdout().lines().count())
                .as("one line: %s", run.stdout())
                .isEqualTo(1);
        return Documents.json(run.stdout());
    }

    /** address -> flags, of a show document's addresses (endpoint flags where the address has an endpoint). */
    private static Map<String, Set<String>> addressFlags(JsonNode doc) {
        Map<String, Set<String>> flags = new HashMap<>();
        for (JsonNode iface : Documents.elements(doc.path("interfaces"))) {
            for (String family : List.of("ipv4", "ipv6")) {
                for (JsonNode address : Documents.elements(iface.path(family).path("address"))) {
                    flags.put(
                            address.path("ip").asString(),
                            new TreeSet<>(Documents.strings(address.path("mptcp-flags"))));
                }
            }
        }
        return flags;
    }

    /** The document's endpoints as iproute2 would list them: address -> flags, only addresses with flags. */
    private static Map<String, Set<String>> endpointsOf(JsonNode doc) {
        Map<String, Set<String>> endpoints = new HashMap<>();
        addressFlags(doc).forEach((address, flags) -> {
            if (!flags.isEmpty()) {
                endpoints.put(address, flags);
            }
        });
        return endpoints;
    }

    private static Map<String, Set<String>> endpointsOf(Netns ns) {
        Map<String, Set<String>> endpoints = new HashMap<>();
        for (IprouteOracle.Endpoint e : IprouteOracle.endpoints(ns)) {
            endpoints.put(e.address(), new TreeSet<>(e.flags()));
        }
        return endpoints;
    }

    private static void assertLimits(JsonNode doc, Map<String, Integer> oracle) {
        assertThat(doc.path("mptcp").path("limits").path("subflows").asInt()).isEqualTo(oracle.get("subflows"));
        assertThat(doc.path("mptcp").path("limits").path("add-addr-accepted").asInt())
                .isEqualTo(oracle.get("add_addr_accepted"));
    }

    @Test
    void applyJsonSaysWhatChangedAndItsBeforeAndAfterAreWhatIproute2Sees() throws IOException {
        try (Netns ns = namespace()) {
            Path file = Mptcpstate.stateFile(STATE);
            Map<String, Integer> limitsBefore = IprouteOracle.limits(ns);
            Map<String, Set<String>> endpointsBefore = endpointsOf(ns);
            String rawBefore = ns.ip("-j", "mptcp", "endpoint", "show");

            Run dry = Mptcpstate.jar("apply", "--dry-run", "--json", file.toString(), "--netns", ns.name());
            assertThat(dry.exitCode()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            JsonNode plan = oneDocument(dry);
            assertThat(plan.path("changed").asBoolean()).isTrue();
            assertThat(plan.path("dry-run").asBoolean()).isTrue();
            assertThat(plan.has("verified")).isFalse();
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show"))
                    .as("a dry run writes nothing")
                    .isEqualTo(rawBefore);

            Run run = Mptcpstate.jar("apply", "--json", "--detailed-exitcode", file.toString(), "--netns", ns.name());
            assertThat(run.exitCode()).as(run.stdout()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            JsonNode doc = oneDocument(run);
            assertThat(doc.path("changed").asBoolean()).isTrue();
            assertThat(doc.path("dry-run").asBoolean()).isFalse();
            assertThat(doc.path("verified").asBoolean()).isTrue();
            // before and after against iproute2, and no endpoint ids in either
            assertLimits(doc.path("before"), limitsBefore);
            assertLimits(doc.path("after"), IprouteOracle.limits(ns));
            assertThat(endpointsOf(doc.path("before"))).isEqualTo(endpointsBefore);
            assertThat(endpointsOf(doc.path("after"))).isEqualTo(endpointsOf(ns));
            assertThat(endpointsOf(ns))
                    .isEqualTo(Map.of("192.0.2.2", Set.of("subflow"), "2001:db8::2", Set.of("subflow")));
            assertThat(doc.path("before").toString() + doc.path("after")).doesNotContain("\"id\"", "mptcp-endpoint-id");
            // the dry run planned exactly this
            assertThat(plan.path("changes")).isEqualTo(doc.path("changes"));
            assertThat(plan.path("after")).isEqualTo(doc.path("after"));

            List<JsonNode> changes = Documents.elements(doc.path("changes"));
            assertThat(changes).hasSize(4);
            JsonNode limits = changes.get(0);
            assertThat(limits.path("action").asString()).isEqualTo("set-limits");
            assertThat(limits.path("old").toString()).isEqualTo("{\"subflows\":2,\"add-addr-accepted\":0}");
            assertThat(limits.path("new").toString()).isEqualTo("{\"subflows\":4,\"add-addr-accepted\":1}");
            assertThat(limits.path("text").asString()).isEqualTo("~ limits: subflows 2 -> 4, add-addr-accepted 0 -> 1");
            assertThat(changes.get(1).path("action").asString()).isEqualTo("remove-endpoint");
            assertThat(changes.get(1).path("old").toString())
                    .isEqualTo("{\"address\":\"192.0.2.2\",\"interface\":\"eth1\",\"flags\":[\"signal\"]}");
            assertThat(changes.get(1).path("new").isNull()).isTrue();
            for (JsonNode add : changes.subList(2, 4)) {
                assertThat(add.path("action").asString()).isEqualTo("add-endpoint");
                assertThat(add.path("old").isNull()).isTrue();
                assertThat(endpointsOf(ns))
                        .containsEntry(add.path("new").path("address").asString(), Set.of("subflow"));
            }
            List<String> codes = new java.util.ArrayList<>();
            for (JsonNode warning : Documents.elements(doc.path("warnings"))) {
                codes.add(warning.path("code").asString());
            }
            assertThat(codes).containsExactly("link-local-skipped");

            // again: nothing to do, exit 0 with --detailed-exitcode, nothing written
            String rawAfter = ns.ip("-j", "mptcp", "endpoint", "show");
            Run again = Mptcpstate.jar("apply", "--json", "--detailed-exitcode", file.toString(), "--netns", ns.name());
            assertThat(again.exitCode()).isZero();
            JsonNode none = oneDocument(again);
            assertThat(none.path("changed").asBoolean()).isFalse();
            assertThat(none.path("changes").size()).isZero();
            assertThat(none.path("before")).isEqualTo(none.path("after"));
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(rawAfter);
        }
    }

    @Test
    void detailedExitcodeIsZeroTwoOrOneAsTerraformsOnTheRealKernel() throws IOException {
        try (Netns ns = namespace()) {
            Path file = Mptcpstate.stateFile(STATE);
            Run applied = Mptcpstate.inProcess("apply", "--detailed-exitcode", file.toString(), "--netns", ns.name());
            assertThat(applied.exitCode()).as(applied.stderr()).isEqualTo(2);
            assertThat(applied.stdout()).endsWith("applied 4 changes, verified\n");
            assertThat(IprouteOracle.limits(ns)).containsEntry("subflows", 4);
            Run none = Mptcpstate.inProcess("apply", "--detailed-exitcode", file.toString(), "--netns", ns.name());
            assertThat(none.exitCode()).isZero();
            assertThat(none.stdout()).isEqualTo("no changes\n");
            // without the option, applied is 0 as before
            ns.ip("mptcp", "limits", "set", "subflows", "3", "add_addr_accepted", "1");
            assertThat(Mptcpstate.inProcess("apply", file.toString(), "--netns", ns.name())
                            .exitCode())
                    .isZero();
            assertThat(IprouteOracle.limits(ns)).containsEntry("subflows", 4);

            String rawBefore = ns.ip("-j", "mptcp", "endpoint", "show");
            Run refused = Mptcpstate.inProcess(
                    "apply", "--detailed-exitcode", refusedFile().toString(), "--netns", ns.name());
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(rawBefore);
            assertThat(IprouteOracle.limits(ns)).containsEntry("subflows", 4);
        }
    }

    /** Sets limits, then adds a port endpoint on an address the namespace lacks: the kernel refuses. */
    private static Path refusedFile() throws IOException {
        return Mptcpstate.stateFile("mptcp:\n  limits:\n    subflows: 6\n  endpoints:\n  - address: 203.0.113.50\n"
                + "    port: 8443\n    flags: [signal]\n");
    }

    @Test
    void errorsUnderJsonOnTheRealKernelAreOneDocumentAndChangeNothing() throws IOException {
        try (Netns ns = namespace()) {
            String rawBefore = ns.ip("-j", "mptcp", "endpoint", "show");
            Map<String, Integer> limitsBefore = IprouteOracle.limits(ns);

            Run refused = Mptcpstate.jar("apply", "--json", refusedFile().toString(), "--netns", ns.name());
            assertThat(refused.exitCode()).isEqualTo(1);
            JsonNode failed = oneDocument(refused);
            assertThat(failed.path("error").path("code").asString()).isEqualTo("apply-failed");
            assertThat(failed.path("error").path("exit-code").asInt()).isEqualTo(1);
            assertThat(failed.path("error").path("message").asString())
                    .contains("kernel refused", "rolled back 1 change");
            assertThat(failed.path("rolled-back").asBoolean()).isTrue();
            assertThat(failed.path("changed").asBoolean()).isFalse();

            Run invalid = Mptcpstate.jar(
                    "apply",
                    "--json",
                    Mptcpstate.stateFile("interfaces:\n- name: eth9\n  mptcp:\n    address-flags: [subflow]\n")
                            .toString(),
                    "--netns",
                    ns.name());
            assertThat(invalid.exitCode()).isEqualTo(65);
            JsonNode problems = oneDocument(invalid);
            assertThat(problems.path("error").path("code").asString()).isEqualTo("invalid-input");
            assertThat(problems.path("error").path("line").asInt()).isEqualTo(2);
            assertThat(problems.path("problems").size()).isEqualTo(1);
            assertThat(problems.has("rolled-back")).isFalse();

            Path readable = Mptcpstate.stateFile(STATE);
            java.nio.file.Files.setPosixFilePermissions(
                    readable, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Run denied = Mptcpstate.jarVia(
                    Nobody.prefix(),
                    Nobody.readableJar(),
                    "apply",
                    "--json",
                    readable.toString(),
                    "--netns",
                    ns.name());
            assertThat(denied.exitCode()).as(denied.stdout() + denied.stderr()).isEqualTo(77);
            assertThat(oneDocument(denied).path("error").path("code").asString())
                    .isEqualTo("permission-denied");

            Run missing = Mptcpstate.jar(
                    "diff", "--json", Mptcpstate.stateFile(STATE).toString(), "--netns", "mptcpstate-no-such-ns");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(oneDocument(missing).path("error").path("code").asString())
                    .isEqualTo("netns-missing");

            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(rawBefore);
            assertThat(IprouteOracle.limits(ns)).isEqualTo(limitsBefore);
        }
    }
}
