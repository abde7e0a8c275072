package org.mptcpstate.plan;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mptcpstate.document.StateLoader;
import org.mptcpstate.kernel.FakeKernel;
import org.mptcpstate.reconcile.Reconciler;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.testing.SnapshotFixture;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden fixtures in src/test/resources/plans, one directory per behaviour: current.yml (the kernel, in show's
 * format), desired.yml (a state file) and either plan.txt (each change's line, then "warning: " lines) or
 * error.txt (the problems). A new planner behaviour gets a new directory.
 */
class PlannerGoldenTest {
    private static final Path FIXTURES = Path.of("src/test/resources/plans");

    @TestFactory
    Stream<DynamicTest> fixtures() throws Exception {
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            cases = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).isNotEmpty();
        return cases.stream()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws Exception {
        Snapshot current = SnapshotFixture.of(
                new YAMLMapper().readTree(dir.resolve("current.yml").toFile()));
        DesiredState desired = StateLoader.load("desired.yml", Files.readAllBytes(dir.resolve("desired.yml")))
                .state();
        Path error = dir.resolve("error.txt");
        if (Files.exists(error)) {
            assertThatThrownBy(() -> Planner.plan(desired, current))
                    .isInstanceOf(InvalidStateException.class)
                    .hasMessage(Files.readString(error).strip());
            return;
        }
        Plan plan = Planner.plan(desired, current);
        List<String> lines = new ArrayList<>();
        plan.changes().forEach(change -> lines.add(change.describe()));
        plan.warnings().forEach(warning -> lines.add("warning: " + warning));
        assertThat(lines)
                .containsExactlyElementsOf(
                        Files.readString(dir.resolve("plan.txt")).lines().toList());

        // idempotent: once the plan is applied (simulated), planning again finds nothing to do
        Snapshot after = Simulation.apply(current, plan.changes());
        assertThat(Planner.plan(desired, after).changes())
                .as("plan after applying")
                .isEmpty();

        // and the in-memory kernel, which refuses what the real one refuses, takes the plan and verifies it
        FakeKernel kernel = new FakeKernel(current);
        assertThat(Reconciler.apply(kernel, desired, true).applied()).isEqualTo(plan.changes());
        assertThat(Planner.plan(desired, kernel.query()).changes())
                .as("plan after a real apply")
                .isEmpty();
    }
}
