package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollback on the real kernel while someone else changes the namespace with iproute2: only what the apply
 * changed is undone; the endpoints the other added stay, even one on the id the apply had freed, and the message
 * says exactly what differs from the snapshot. Judged by `ip -j mptcp endpoint show` and `ip mptcp limits`.
 */
@Tag("kernel")
class RollbackIT {
    /**
     * The plan: the limits, the removal of 198.51.100.1 (id 3, signal; eth2 wants subflow, which is no in-place
     * change), four subflow endpoints, then a listening endpoint on an address the host lacks, which the kernel
     * refuses (EADDRNOTAVAIL): the apply fails at its last change and rolls back.
     */
    private static final String FILE = """
            mptcp:
              limits:
                subflows: 4
              endpoints:
              - address: 203.0.113.50
                port: 8443
                flags: [signal]
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow]
            - name: eth2
              mptcp:
                address-flags: [subflow]
            """;

    /** address -> "id FLAGS" as iproute2 reads them. */
    private static Map<String, String> endpoints(Netns ns) {
        Map<String, String> endpoints = new HashMap<>();
        for (JsonNode e : Documents.elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            List<String> flags = new ArrayList<>();
            for (String flag : List.of("signal", "subflow", "backup", "fullmesh", "implicit", "laminar")) {
                if (e.path(flag).asBoolean()) {
                    flags.add(flag);
                }
            }
            endpoints.put(e.path("address").asString(), e.path("id").asInt() + " " + flags);
        }
        return endpoints;
    }

    @Test
    void theRollbackLeavesWhatSomeoneElseAddedMeanwhileAndSaysSo() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("rb", 2)) {
            ns.ip("mptcp", "endpoint", "add", "198.51.100.1", "id", "3", "dev", "eth2", "signal");
            String limitsBefore = ns.ip("mptcp", "limits");
            Path file = Mptcpstate.stateFile(FILE);
            File out = File.createTempFile("mptcpstate-rb-", ".out");
            File err = File.createTempFile("mptcpstate-rb-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(
                                Mptcpstate.java(),
                                "-D" + ApplySignals.STEP_DELAY_PROPERTY + "=400",
                                "-jar",
                                Mptcpstate.jar().toString(),
                                "apply",
                                file.toString(),
                                "--netns",
                                ns.name())
                        .redirectOutput(out)
                        .redirectError(err);
                builder.environment().remove("JAVA_TOOL_OPTIONS");
                Process apply = builder.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (endpoints(ns).containsKey("198.51.100.1")) {
                    assertThat(System.nanoTime()).as("the apply removes id 3").isLessThan(deadline);
                    Thread.sleep(5);
                }
                // someone else, while the apply waits 400 ms before its next change
                ns.ip("mptcp", "endpoint", "add", "203.0.113.77", "id", "3", "signal");
                ns.ip("mptcp", "endpoint", "add", "203.0.113.78", "signal");
                assertThat(apply.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
                assertThat(apply.exitValue()).as(stderr).isEqualTo(ExitCode.FAILED.code());
                String failure = stderr.lines()
                        .filter(line -> !line.startsWith("mptcpstate: warning: "))
                        .findFirst()
                        .orElseThrow();
                Map<String, String> after = endpoints(ns);
                String readded = after.get("198.51.100.1");
                assertThat(failure)
                        .startsWith("mptcpstate: failed at \"+ endpoint 203.0.113.50 port 8443 [signal]\": ")
                        .contains("EADDRNOTAVAIL")
                        .contains("; rolled back 6 changes; the namespace is as it was before but for what someone"
                                + " else changed meanwhile: endpoint 198.51.100.1 is back with another id than 3, which"
                                + " 203.0.113.77 took meanwhile (added by someone else); ")
                        .contains("; endpoint id " + readded.split(" ")[0] + " 198.51.100.1 [signal] was id 3"
                                + " 198.51.100.1 [signal]")
                        .contains("; endpoint id 3 203.0.113.77 [signal] was added")
                        .contains("; endpoint id " + after.get("203.0.113.78").split(" ")[0]
                                + " 203.0.113.78 [signal] was added")
                        .doesNotContain("ROLLBACK INCOMPLETE");
                assertThat(after).containsOnlyKeys("198.51.100.1", "203.0.113.77", "203.0.113.78");
                assertThat(after.get("203.0.113.77")).isEqualTo("3 [signal]");
                assertThat(after.get("203.0.113.78")).endsWith(" [signal]");
                assertThat(readded).endsWith(" [signal]").doesNotStartWith("3 ");
                assertThat(ns.ip("mptcp", "limits")).isEqualTo(limitsBefore);
                assertThat(Files.readAllLines(out.toPath()))
                        .as("the changes made, printed as they were made")
                        .hasSize(6)
                        .first()
                        .asString()
                        .startsWith("~ limits: subflows");
            } finally {
                out.delete();
                err.delete();
            }
        }
    }
}
