package org.mptcpstate.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mptcpstate.cli.HostileInputTest.Case;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * apply with a sample of the hostile-input corpus against a real namespace that has endpoints and limits set:
 * each exits 65 with its problems (one per line, each {@code mptcpstate: file:line:column: message} as apply
 * prints them), and {@code ip -j mptcp endpoint show}, {@code ip mptcp limits} and
 * net.mptcp.enabled are byte for byte what they were before. The empty state changes nothing either.
 */
@Tag("kernel")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileInputIT {
    /** 20 files of the corpus, one or more of each kind, with the alias bomb. */
    private static final List<String> SAMPLE = List.of(
            "alias-bomb-billion-laughs.yml",
            "alias-eleven.yml",
            "nesting-33.yml",
            "syntax-unclosed-flow-list.yml",
            "tab-indentation.yml",
            "enabled-not-a-boolean-word.yml",
            "limit-subflows-9.yml",
            "misspelt-address-flags.yml",
            "duplicate-enabled.yml",
            "duplicate-address.yml",
            "address-hostname.yml",
            "prefix-v4-33.yml",
            "ifname-16-bytes.yml",
            "ifname-slash.yml",
            "state-deleted.yml",
            "flags-signal-fullmesh-sf-subflow.yml",
            "port-with-subflow.yml",
            "non-utf8-latin1.yml",
            "two-documents.yml",
            "too-many-endpoints.yml");

    private static Netns ns;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() {
        KernelTests.requireRoot();
        ns = Netns.create("hostile");
        ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        ns.ip("link", "set", "eth0", "up");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("addr", "add", "192.0.2.1/24", "dev", "eth0");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
        ns.ip("addr", "add", "2001:db8::1/64", "dev", "eth0", "nodad");
        ns.awaitAddressesSettled();
        ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "dev", "eth0", "id", "5", "subflow", "backup");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "dev", "eth1", "signal");
        ns.ip("mptcp", "endpoint", "add", "2001:db8::1", "dev", "eth0", "subflow", "fullmesh");
        ns.ip("mptcp", "limits", "set", "subflow", "4", "add_addr_accepted", "3");
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private static Netns.MptcpText kernel() {
        return ns.mptcpText();
    }

    static Stream<Case> sample() throws IOException {
        Map<String, Case> corpus =
                HostileInputTest.corpus().stream().collect(Collectors.toMap(Case::file, Function.identity()));
        List<Case> cases = new ArrayList<>();
        for (String name : SAMPLE) {
            assertThat(corpus).as("the corpus").containsKey(name);
            cases.add(corpus.get(name));
        }
        // made here, as in HostileInputTest: 10,000 levels deep
        cases.add(new Case("ten-thousand-deep.yml", 65, "1:33: lists and mappings nested deeper than 32 levels"));
        return cases.stream();
    }

    /** The empty state (empty file, comments only, a null document): apply says so and changes nothing. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"ok-empty.yml", "ok-comments-only.yml", "ok-document-start-only.yml", "ok-null.yml"})
    void applyOfTheEmptyStateChangesNothing(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, HostileInputTest.resource(name));
        Netns.MptcpText before = kernel();
        Run run = Mptcpstate.inProcess("apply", file.toString(), "--netns", ns.name())
                .assertOk();
        assertThat(run.stdout()).isEqualTo("no changes\n");
        assertThat(kernel())
                .as("endpoints, limits and net.mptcp.enabled after apply %s", name)
                .isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sample")
    void applyRefusesItAndTheKernelIsUntouched(Case c) throws IOException {
        assertThat(c.exitCode()).isEqualTo(ExitCode.INVALID_INPUT.code());
        Path file = dir.resolve(c.file());
        if (c.file().equals("ten-thousand-deep.yml")) {
            Files.writeString(file, "[".repeat(10_000) + "]".repeat(10_000) + "\n", StandardCharsets.US_ASCII);
        } else {
            Files.write(file, HostileInputTest.resource(c.file()));
        }
        Netns.MptcpText before = kernel();
        Run run = Mptcpstate.inProcess("apply", file.toString(), "--netns", ns.name());
        HostileInputTest.assertInvalid(run, "mptcpstate: ", file.toString(), c.exitCode(), c.fragment());
        assertThat(kernel())
                .as("endpoints, limits and net.mptcp.enabled after apply %s", c.file())
                .isEqualTo(before);
    }
}
