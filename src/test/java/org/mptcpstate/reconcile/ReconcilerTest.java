package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.mptcpstate.document.StateLoader;
import org.mptcpstate.kernel.FakeKernel;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** apply, verify and roll back against the in-memory kernel, which obeys the kernel's rules. */
class ReconcilerTest {
    private static final String DESIRED = """
            mptcp:
              enabled: true
              limits:
                subflows: 4
                add-addr-accepted: 2
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow]
              ipv4:
                address:
                - ip: 192.0.2.2
                  mptcp-flags: [subflow, backup]
            - name: eth2
              mptcp:
                address-flags: [subflow, backup]
            """;

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    /** eth1: 192.0.2.2, 192.0.2.3 (endpoint 3, subflow+fullmesh), 2001:db8::2; eth2: 198.51.100.2 (endpoint 5, signal). */
    private static Snapshot initial() throws Exception {
        return new Snapshot(
                new Snapshot.Sysctls(false, "kernel"),
                new Snapshot.Limits(2, 0),
                List.of(
                        new KernelEndpoint(
                                3, ip("192.0.2.3"), 0, EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.FULLMESH), 2),
                        new KernelEndpoint(5, ip("198.51.100.2"), 0, EndpointFlags.of(MptcpFlag.SIGNAL), 3)),
                List.of(
                        new Link(1, "lo", null, true, true, 772, Snapshot.OperState.UNKNOWN),
                        new Link(2, "eth1", "veth", true, false, 1, Snapshot.OperState.UP),
                        new Link(3, "eth2", "veth", true, false, 1, Snapshot.OperState.UP)),
                List.of(
                        new LinkAddress(2, ip("192.0.2.2"), 24, 0, LinkAddress.PERMANENT),
                        new LinkAddress(2, ip("192.0.2.3"), 24, 0, LinkAddress.PERMANENT),
                        new LinkAddress(2, ip("2001:db8::2"), 64, 0, LinkAddress.PERMANENT),
                        new LinkAddress(3, ip("198.51.100.2"), 24, 0, LinkAddress.PERMANENT)),
                new DefaultRoutes(Set.of(2), Set.of()));
    }

    private static DesiredState desired() {
        return StateLoader.load("desired.yml", DESIRED.getBytes(StandardCharsets.UTF_8))
                .state();
    }

    @Test
    void applyReachesTheDesiredStateAndASecondApplyChangesNothing() throws Exception {
        FakeKernel kernel = new FakeKernel(initial());
        ApplyResult first = Reconciler.apply(kernel, desired(), true);
        assertThat(first.applied()).hasSize(first.plan().changes().size()).hasSizeGreaterThan(4);
        assertThat(first.verified()).isTrue();
        assertThat(Planner.plan(desired(), kernel.query()).changes()).isEmpty();

        ApplyResult second = Reconciler.apply(kernel, desired(), true);
        assertThat(second.applied()).isEmpty();
    }

    /** The review sees the whole plan while the kernel is still as it was (apply reads live subflows there). */
    @Test
    void theReviewSeesThePlanBeforeTheFirstWrite() throws Exception {
        FakeKernel kernel = new FakeKernel(initial());
        Snapshot before = kernel.query();
        List<Snapshot> seen = new java.util.ArrayList<>();
        List<org.mptcpstate.plan.Plan> plans = new java.util.ArrayList<>();
        ApplyResult result = Reconciler.apply(kernel, desired(), true, Interruption.NONE, new PlanReview() {
            @Override
            public void beforeWrites(org.mptcpstate.plan.Plan plan) {
                plans.add(plan);
                seen.add(kernel.query());
            }
        });
        assertThat(plans).containsExactly(result.plan());
        assertThat(seen).containsExactly(before);
        assertThat(kernel.query()).isNotEqualTo(before);
    }

    /** Fail at each write in turn: after the rollback the kernel equals the snapshot taken before. */
    @Test
    void aFaultAtAnyStepRollsBackToTheSnapshot() throws Exception {
        int steps = Planner.plan(desired(), initial()).changes().size();
        assertThat(steps).isGreaterThanOrEqualTo(6);
        for (int attempt = 0; attempt < 2 * steps; attempt++) {
            int failAt = attempt % steps + 1;
            boolean afterWriting = attempt >= steps;
            FakeKernel fake = new FakeKernel(initial());
            FaultyKernel faulty = new FaultyKernel(fake, failAt, afterWriting);
            int step = failAt;
            assertThatThrownBy(() -> Reconciler.apply(faulty, desired(), true))
                    .as("fault at write %d (after writing: %s)", step, afterWriting)
                    .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                        assertThat(e.applied()).hasSize(step - 1);
                        assertThat(e.restored()).isTrue();
                        assertThat(e.getMessage()).contains("injected fault at write " + step);
                    });
            assertThat(Rollback.differences(initial(), fake.query()))
                    .as("after a fault at write %d", step)
                    .isEmpty();
            assertThat(fake.query().endpoints()).isEqualTo(initial().endpoints());
        }
    }

    /** A kernel that accepts a write but does not keep it fails verification, and the apply is undone. */
    @Test
    void aResultThatDoesNotHoldIsRolledBack() throws Exception {
        FakeKernel fake = new FakeKernel(initial());
        MptcpKernel forgetful = new FaultyKernel(fake, 0) {
            @Override
            public void setLimits(Integer subflows, Integer addAddrAccepted) {
                // acknowledged, not kept
            }
        };
        assertThatThrownBy(() -> Reconciler.apply(forgetful, desired(), true))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.getMessage()).startsWith("verification failed").contains("limits");
                    assertThat(e.restored()).isTrue();
                });
        assertThat(Rollback.differences(initial(), fake.query())).isEmpty();
    }

    @Test
    void anInapplicableFileChangesNothing() throws Exception {
        FakeKernel fake = new FakeKernel(initial());
        DesiredState missing = StateLoader.load(
                        "bad.yml",
                        "interfaces:\n- name: eth9\n  mptcp:\n    address-flags: [subflow]\n"
                                .getBytes(StandardCharsets.UTF_8))
                .state();
        assertThatThrownBy(() -> Reconciler.apply(fake, missing, true))
                .hasMessageContaining("bad.yml:2:3: interface eth9 does not exist");
        assertThat(Rollback.differences(initial(), fake.query())).isEmpty();
    }

    /** A signal before any change, between any two, or after the last: old state (rolled back) or new state. */
    @Test
    void anInterruptionBetweenAnyTwoChangesRollsBackAndOneAfterTheLastCompletes() throws Exception {
        int steps = Planner.plan(desired(), initial()).changes().size();
        for (int stopAt = 0; stopAt <= steps; stopAt++) {
            FakeKernel fake = new FakeKernel(initial());
            int[] asked = {0};
            int stop = stopAt;
            Interruption interruption = () -> asked[0]++ >= stop ? "TERM" : null;
            if (stopAt == steps) {
                ApplyResult result = Reconciler.apply(fake, desired(), true, interruption);
                assertThat(result.applied()).hasSize(steps);
                assertThat(Planner.plan(desired(), fake.query()).changes()).isEmpty();
                continue;
            }
            assertThatThrownBy(() -> Reconciler.apply(fake, desired(), true, interruption))
                    .as("signal before change %d", stop + 1)
                    .isInstanceOfSatisfying(ApplyInterruptedException.class, e -> {
                        assertThat(e.signal()).isEqualTo("TERM");
                        assertThat(e.applied()).hasSize(stop);
                        assertThat(e.restored()).isTrue();
                        assertThat(e.getMessage())
                                .startsWith("interrupted by SIGTERM before \"")
                                .endsWith(stop == 0 ? "nothing was changed" : "the namespace is as it was before");
                    });
            assertThat(Rollback.differences(initial(), fake.query()))
                    .as("signal before change %d", stop + 1)
                    .isEmpty();
            assertThat(fake.query().endpoints()).isEqualTo(initial().endpoints());
        }
    }

    /**
     * Someone adds two endpoints while an apply that then fails is running, one of them on the id 5 the apply freed
     * (it removes 198.51.100.2, id 5, to add it back as a subflow): the rollback undoes this apply's changes only.
     * The two stay, 198.51.100.2 comes back with another id, and the message says exactly that.
     */
    @Test
    void theRollbackLeavesWhatSomeoneElseAddedMeanwhile() throws Exception {
        FakeKernel fake = new FakeKernel(initial());
        int steps = Planner.plan(desired(), initial()).changes().size();
        MptcpKernel busy = new FaultyKernel(fake, steps) {
            private boolean done;

            @Override
            public void deleteEndpoint(int id) {
                super.deleteEndpoint(id);
                if (done) {
                    return;
                }
                done = true;
                try {
                    fake.addEndpoint(5, ip("203.0.113.7"), 0, EndpointFlags.of(MptcpFlag.SIGNAL), 0);
                    fake.addEndpoint(0, ip("203.0.113.8"), 0, EndpointFlags.of(MptcpFlag.SIGNAL), 0);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        assertThatThrownBy(() -> Reconciler.apply(busy, desired(), true))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.restored()).isTrue();
                    assertThat(e.getMessage())
                            .contains("rolled back " + (steps - 1) + " changes; the namespace is as it was before but"
                                    + " for what someone else changed meanwhile: ")
                            .contains("endpoint 198.51.100.2 is back with another id than 5, which 203.0.113.7 took"
                                    + " meanwhile (added by someone else)")
                            .contains("endpoint id 5 203.0.113.7 [signal] was added")
                            .contains("203.0.113.8 [signal] was added")
                            .doesNotContain("ROLLBACK INCOMPLETE");
                });
        Snapshot after = fake.query();
        assertThat(after.endpoints())
                .extracting(KernelEndpoint::address)
                .containsExactlyInAnyOrder(ip("192.0.2.3"), ip("198.51.100.2"), ip("203.0.113.7"), ip("203.0.113.8"));
        assertThat(after.endpoints()).contains(initial().endpoints().get(0));
        assertThat(after.endpoints())
                .filteredOn(endpoint -> endpoint.address().getHostAddress().equals("198.51.100.2"))
                .singleElement()
                .satisfies(endpoint -> {
                    assertThat(endpoint.flags()).isEqualTo(EndpointFlags.of(MptcpFlag.SIGNAL));
                    assertThat(endpoint.id()).isNotEqualTo(5);
                });
        assertThat(after.limits()).isEqualTo(initial().limits());
        assertThat(after.sysctls().enabled()).isFalse();
    }

    /** Someone changes a limit this apply set: the rollback leaves theirs, names it, and undoes the other. */
    @Test
    void limitsSomeoneElseSetMeanwhileStay() throws Exception {
        FakeKernel fake = new FakeKernel(initial());
        int steps = Planner.plan(desired(), initial()).changes().size();
        MptcpKernel busy = new FaultyKernel(fake, steps) {
            @Override
            public void setLimits(Integer subflows, Integer addAddrAccepted) {
                super.setLimits(subflows, addAddrAccepted);
                fake.setLimits(7, null);
            }
        };
        assertThatThrownBy(() -> Reconciler.apply(busy, desired(), true))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.restored()).isTrue();
                    assertThat(e.getMessage())
                            .endsWith("but for what someone else changed meanwhile: the limits are subflows 7,"
                                    + " add-addr-accepted 0 (were 2, 0)");
                });
        // add-addr-accepted was this apply's change (0 -> 2) and is undone; subflows 7 is theirs
        assertThat(fake.query().limits()).isEqualTo(new Snapshot.Limits(7, 0));
        assertThat(fake.query().endpoints()).isEqualTo(initial().endpoints());
    }

    /**
     * Someone adds 2001:db8::2 just before this apply does: the kernel refuses this apply's add as a duplicate, and
     * the rollback must not take their endpoint for the one this apply failed to add.
     */
    @Test
    void anEndpointSomeoneElseAddedFirstIsNotTakenForOurs() throws Exception {
        FakeKernel fake = new FakeKernel(initial());
        MptcpKernel busy = new FaultyKernel(fake, 0) {
            @Override
            public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
                if (address.getHostAddress().startsWith("2001:db8")) {
                    fake.addEndpoint(0, address, 0, flags, interfaceIndex);
                }
                super.addEndpoint(id, address, port, flags, interfaceIndex);
            }
        };
        assertThatThrownBy(() -> Reconciler.apply(busy, desired(), true))
                .isInstanceOfSatisfying(ApplyFailedException.class, e -> {
                    assertThat(e.restored()).isTrue();
                    assertThat(e.getMessage()).contains("EEXIST").contains("2001:db8::2 [subflow] was added");
                });
        assertThat(fake.query().endpoints())
                .extracting(KernelEndpoint::address)
                .containsExactlyInAnyOrder(ip("192.0.2.3"), ip("198.51.100.2"), ip("2001:db8::2"));
    }
}
