package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.mptcpstate.document.StateLoader;
import org.mptcpstate.kernel.FakeKernel;
import org.mptcpstate.kernel.KernelEvents;
import org.mptcpstate.kernel.KernelEvents.Wait;
import org.mptcpstate.kernel.KernelRefusedException;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The watch loop against the in-memory kernel: events, debounce, resync, reload, back-off, stop. The loop runs on
 * the test's thread on a virtual clock: the scripted events port advances it to the next scripted event or by the
 * whole wait, so a test covers minutes of watching in milliseconds and nothing is proven by sleeping.
 */
class WatcherTest {
    private static final String SUBFLOW = """
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow]
            """;
    private static final String BACKUP = """
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow, backup]
            """;
    /** Resync never, unless a test asks for it. */
    private static final long HOUR = 3_600_000;

    private final World world = new World();
    private final ScriptedEvents events = new ScriptedEvents();
    private final Recorder log = new Recorder();
    private final AtomicReference<Object> nextLoad = new AtomicReference<>();
    private Watcher watcher;

    private static DesiredState state(String yaml) {
        return StateLoader.load("state.yml", yaml.getBytes(StandardCharsets.UTF_8))
                .state();
    }

    private Watcher watcher(Watcher.Access access, Watcher.Settings settings) {
        watcher = new Watcher(access, events, new Source(), log, settings, state(SUBFLOW), events.clock);
        return watcher;
    }

    /** Runs the watch until the script's last entry, then stops it; returns normally. */
    private void run(long resyncMillis) {
        watcher(world, new Watcher.Settings(10, 200, resyncMillis, 20, 80)).run();
    }

    @Test
    void appliesAtStartThenAddsAndRemovesEndpointsAsAddressesComeAndGo() {
        events.at(
                1000,
                () -> assertThat(world.hasEndpoint("192.0.2.2"))
                        .as("start endpoint")
                        .isTrue());
        events.at(1000, () -> world.addAddress("198.51.100.2"), Wait.CHANGED);
        events.at(
                2000,
                () -> assertThat(world.hasEndpoint("198.51.100.2"))
                        .as("new endpoint")
                        .isTrue());
        events.at(2000, () -> world.removeAddress("198.51.100.2"), Wait.CHANGED);
        events.stopAt(3000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2")).as("endpoint removed").isFalse();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS, WatchCause.EVENTS);
        assertThat(log.failures).isEmpty();
    }

    @Test
    void aBurstOfEventsIsOneStep() {
        int[] queriesBefore = new int[1];
        events.at(1000, () -> {
            queriesBefore[0] = world.queries.get();
            world.addAddress("198.51.100.2");
        });
        for (int i = 0; i < 20; i++) {
            events.at(1000 + i, null, Wait.CHANGED); // 1 ms apart, within the 10 ms quiet period
        }
        events.stopAt(5000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2")).isTrue();
        // one step: a query to plan, a query to verify
        assertThat(world.queries.get() - queriesBefore[0]).isEqualTo(2);
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS);
        assertThat(events.pending()).isEmpty();
    }

    @Test
    void resyncCorrectsWhatOthersChanged() {
        events.at(10, () -> world.deleteEndpointBehindItsBack("192.0.2.2"));
        events.stopAt(200, () -> watcher.requestStop());
        run(50);
        assertThat(world.hasEndpoint("192.0.2.2")).as("endpoint restored").isTrue();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.RESYNC);
    }

    @Test
    void lostEventsMeanAResync() {
        events.at(1000, () -> world.addAddress("198.51.100.2"), Wait.LOST);
        events.stopAt(2000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2")).isTrue();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS_LOST);
    }

    @Test
    void reloadAppliesAValidFileAndKeepsTheOldStateOnAnInvalidOne() {
        DesiredState[] kept = new DesiredState[1];
        events.at(100, () -> {
            nextLoad.set(new IllegalArgumentException("state.yml:3:5: unknown key 'adress-flags'"));
            watcher.requestReload();
        });
        events.at(120, () -> {
            assertThat(log.reloadFailures).as("reload failure reported").hasSize(1);
            kept[0] = watcher.desired();
            // the old state is still kept: drift is still corrected by it
            world.deleteEndpointBehindItsBack("192.0.2.2");
        });
        events.at(300, () -> {
            assertThat(world.hasEndpoint("192.0.2.2")).as("endpoint restored").isTrue();
            assertThat(watcher.desired()).isSameAs(kept[0]);
            nextLoad.set(state(BACKUP));
            watcher.requestReload();
        });
        events.stopAt(400, () -> watcher.requestStop());
        run(50);
        assertThat(world.flags("192.0.2.2")).containsExactly("subflow", "backup");
        assertThat(log.reloads.get()).isEqualTo(1);
        assertThat(log.causes()).contains(WatchCause.RESYNC).endsWith(WatchCause.RELOAD);
    }

    @Test
    void kernelErrorsAreRetriedWithADoublingBackoff() {
        world.failingOpens.set(3);
        events.stopAt(1000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("192.0.2.2")).as("endpoint after retries").isTrue();
        assertThat(log.retryMillis).containsExactly(20L, 40L, 80L);
        assertThat(log.failures).hasSize(3);
        assertThat(log.causes()).containsExactly(WatchCause.RETRY);
        // the retries came after 20, 40 and 80 ms: the endpoint was there at 140 ms
        assertThat(world.firstEndpointAt).isEqualTo(140);
    }

    @Test
    void aFailingStepIsRetriedAtTheNextEvent() {
        world.failingOpens.set(1);
        events.at(500, () -> assertThat(log.failures).as("failure").hasSize(1), Wait.CHANGED);
        events.stopAt(1000, () -> watcher.requestStop());
        watcher(world, new Watcher.Settings(10, 200, HOUR, HOUR, HOUR)).run();
        assertThat(world.hasEndpoint("192.0.2.2")).isTrue();
        // the event at 500 ms, then the 10 ms quiet period that ends a burst; not after the hour-long back-off
        assertThat(world.firstEndpointAt).isEqualTo(510);
    }

    @Test
    void aFatalFailureAtStartEndsTheWatch() {
        World refusing = new World() {
            @Override
            public MptcpKernel open() {
                throw new IllegalStateException("no permission");
            }

            @Override
            public boolean fatalAtStart(RuntimeException failure) {
                return true;
            }
        };
        Watcher once = watcher(refusing, Watcher.Settings.withResync(1000));
        assertThatThrownBy(once::run).hasMessage("no permission");
        assertThat(log.failures).isEmpty();
    }

    @Test
    void aLastingWarningIsReportedOnce() {
        world.addAddress("fe80::1");
        events.at(50, () -> world.addAddress("198.51.100.2"), Wait.CHANGED);
        events.stopAt(300, () -> watcher.requestStop()); // a few resyncs
        run(30);
        assertThat(world.hasEndpoint("198.51.100.2")).isTrue();
        assertThat(log.causes()).contains(WatchCause.EVENTS);
        assertThat(world.queries.get()).as("several resyncs ran").isGreaterThan(10);
        assertThat(log.warnings).hasSize(1);
        assertThat(log.warnings.get(0).message()).contains("fe80::1", "link-local");
    }

    @Test
    void anAddressChangingDuringAStepIsPlannedAgainWithoutAnError() {
        world.duringWrite.set(() -> {
            world.addAddress("198.51.100.2"); // the step's check will see an address it did not plan for
            events.now(Wait.CHANGED);
        });
        events.stopAt(1000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("192.0.2.2") && world.hasEndpoint("198.51.100.2"))
                .as("both endpoints")
                .isTrue();
        assertThat(log.failures).isEmpty();
        assertThat(log.causes()).containsExactly(WatchCause.EVENTS);
    }

    /** As the product runs: no quiet period, and the events decoded (the kept snapshot is kept current by them). */
    private void runDecoded(long resyncMillis) {
        events.decoding = true;
        watcher(world, new Watcher.Settings(0, 100, resyncMillis, 20, 80)).run();
    }

    @Test
    void anEventStepActsAtOnceOnTheKeptSnapshotAndReadsOnlyTheEndpointsBack() {
        int[] before = new int[3];
        events.at(
                1000,
                () -> {
                    before[0] = world.queries.get();
                    before[1] = world.endpointReads.get();
                    before[2] = world.locks.get();
                    world.addAddress("198.51.100.2");
                },
                Wait.CHANGED);
        events.stopAt(2000, () -> watcher.requestStop());
        runDecoded(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2")).isTrue();
        assertThat(world.lastAddAt)
                .as("written when the event came, no quiet period")
                .isEqualTo(1000);
        assertThat(world.queries.get() - before[0])
                .as("full reads for the event")
                .isZero();
        assertThat(world.endpointReads.get() - before[1])
                .as("endpoint reads: the check")
                .isEqualTo(1);
        assertThat(world.locks.get() - before[2]).as("lock taken for the write").isEqualTo(1);
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS);
        assertThat(log.failures).isEmpty();
    }

    @Test
    void anEventThatNeedsNoWriteTakesNeitherTheLockNorAKernelRead() {
        int[] before = new int[3];
        events.at(
                1000,
                () -> {
                    before[0] = world.queries.get();
                    before[1] = world.endpointReads.get();
                    before[2] = world.locks.get();
                    world.addAddress("fe80::2");
                },
                Wait.CHANGED);
        events.stopAt(2000, () -> watcher.requestStop());
        runDecoded(HOUR);
        assertThat(world.queries.get() - before[0]).isZero();
        assertThat(world.endpointReads.get() - before[1]).isZero();
        assertThat(world.locks.get() - before[2]).isZero();
        assertThat(log.causes()).containsExactly(WatchCause.START);
        assertThat(log.warnings).hasSize(1);
        assertThat(log.warnings.get(0).message()).contains("fe80::2", "link-local");
    }

    @Test
    void eventsThatComeWhileAStepWritesAreTakenTogetherByTheNextStep() {
        events.at(
                1000,
                () -> {
                    world.duringWrite.set(() -> {
                        world.addAddress("203.0.113.2");
                        events.now(Wait.CHANGED);
                        world.addAddress("203.0.113.3");
                        events.now(Wait.CHANGED);
                    });
                    world.addAddress("198.51.100.2");
                },
                Wait.CHANGED);
        events.stopAt(2000, () -> watcher.requestStop());
        runDecoded(HOUR);
        assertThat(world.hasEndpoint("203.0.113.2") && world.hasEndpoint("203.0.113.3"))
                .isTrue();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS, WatchCause.EVENTS);
        assertThat(log.changeCounts).containsExactly(1, 1, 2);
    }

    @Test
    void aRefusedEventWriteIsUndoneAndTheFullStepDecides() {
        int[] queriesBefore = new int[1];
        events.at(
                1000,
                () -> {
                    queriesBefore[0] = world.queries.get();
                    world.refuseAdd.set(2); // the event step's second add
                    world.addAddress("198.51.100.2");
                    world.addAddress("203.0.113.2");
                },
                Wait.CHANGED);
        events.stopAt(2000, () -> watcher.requestStop());
        runDecoded(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2") && world.hasEndpoint("203.0.113.2"))
                .isTrue();
        assertThat(world.deletes.get()).as("the event step's first add, undone").isEqualTo(1);
        assertThat(world.queries.get() - queriesBefore[0])
                .as("the full step: read, verify")
                .isEqualTo(2);
        assertThat(log.failures).isEmpty();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS);
    }

    @Test
    void aFailedCheckAfterAnEventWriteIsUndoneAndTheFullStepDecides() {
        events.decoding = true;
        events.at(
                1000,
                () -> {
                    world.keepBitsOnNextAdd.set(MptcpFlag.SUBFLOW.bit());
                    world.addAddress("198.51.100.2");
                },
                Wait.CHANGED);
        events.stopAt(2000, () -> watcher.requestStop());
        watcher = new Watcher(
                world,
                events,
                new Source(),
                log,
                new Watcher.Settings(0, 100, HOUR, 20, 80),
                state(BACKUP),
                events.clock);
        watcher.run();
        assertThat(world.flags("198.51.100.2")).containsExactly("subflow", "backup");
        assertThat(world.deletes.get())
                .as("the endpoint the kernel kept without backup, undone")
                .isEqualTo(1);
        assertThat(log.failures).isEmpty();
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS);
    }

    @Test
    void lostEventsMeanAFullReadEvenWhenEventsAreDecoded() {
        int[] queriesBefore = new int[1];
        events.at(
                1000,
                () -> {
                    queriesBefore[0] = world.queries.get();
                    world.addAddress("198.51.100.2");
                    events.lose();
                },
                Wait.LOST);
        events.stopAt(2000, () -> watcher.requestStop());
        runDecoded(HOUR);
        assertThat(world.hasEndpoint("198.51.100.2")).isTrue();
        assertThat(world.queries.get() - queriesBefore[0]).isEqualTo(2);
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS_LOST);
    }

    @Test
    void endpointDriftIsCorrectedAtTheResyncNotByAnEventThatWritesNothing() {
        events.at(100, () -> world.deleteEndpointBehindItsBack("192.0.2.2"));
        events.at(200, () -> world.addAddress("fe80::2"), Wait.CHANGED);
        events.at(
                300,
                () -> assertThat(world.hasEndpoint("192.0.2.2"))
                        .as("not yet: the event step planned on the kept snapshot")
                        .isFalse());
        events.at(
                600,
                () -> assertThat(world.hasEndpoint("192.0.2.2"))
                        .as("restored by the resync")
                        .isTrue());
        events.stopAt(700, () -> watcher.requestStop());
        runDecoded(500);
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.RESYNC);
    }

    @Test
    void eventsThatNeverPauseDoNotHoldOffTheResync() {
        events.at(5, () -> world.deleteEndpointBehindItsBack("192.0.2.2"));
        for (int t = 10; t < 400; t++) { // 1 ms apart: no wait for the resync ever times out
            boolean add = t % 2 == 0;
            events.at(
                    t,
                    () -> {
                        if (add) {
                            world.addAddress("fe80::2");
                        } else {
                            world.removeAddress("fe80::2");
                        }
                    },
                    Wait.CHANGED);
        }
        events.at(
                100,
                () -> assertThat(world.hasEndpoint("192.0.2.2"))
                        .as("restored by the full step due at 50 ms")
                        .isTrue());
        events.stopAt(500, () -> watcher.requestStop());
        runDecoded(50);
        assertThat(log.failures).isEmpty();
    }

    @Test
    void aStopWhileAStepWaitsForTheLockEndsTheWatchWithoutAnError() {
        events.at(
                1000,
                () -> {
                    world.whileLocking.set(() -> {
                        watcher.requestStop(); // SIGTERM while an apply holds the lock
                        throw new NamespaceLock.LockTimeoutException("stopped while waiting for the lock");
                    });
                    world.addAddress("198.51.100.2");
                },
                Wait.CHANGED);
        events.at(5000, null);
        runDecoded(HOUR);
        assertThat(events.clock.millis()).as("no wait after the stop").isEqualTo(1000);
        assertThat(world.hasEndpoint("198.51.100.2")).isFalse();
        assertThat(log.failures).isEmpty();
    }

    /** A world whose watch warms up with {@code rounds} rounds a pass. */
    private World warming(int rounds) {
        return new World() {
            @Override
            public int warmUpRounds() {
                return rounds;
            }
        };
    }

    @Test
    void theWarmUpAfterTheFirstStepRunsItsPassesWhileIdleAndWritesNothing() {
        World warming = warming(5);
        events.decoding = true;
        events.stopAt(1000, () -> watcher.requestStop());
        watcher(warming, new Watcher.Settings(0, 100, HOUR, 20, 80)).run();
        int passes = Watcher.WARM_UP_PASSES;
        assertThat(warming.locks.get()).as("the start, then 5 a pass").isEqualTo(1 + 5 * passes);
        // a round reads the endpoints for the rehearsed add (the id it would get), back after it, with the
        // endpoint for the removal, and back after the removal; a pass also reads the namespace once
        assertThat(warming.endpointReads.get()).isEqualTo(4 * 5 * passes);
        assertThat(warming.adds.get()).as("the start's endpoint only").isEqualTo(1);
        assertThat(warming.deletes.get()).isZero();
        assertThat(warming.endpointCount()).isEqualTo(1);
        assertThat(log.failures).isEmpty();
    }

    @Test
    void anEventDuringTheWarmUpIsTakenAtOnceAndThePassesGoOnAfterIt() {
        World warming = warming(5);
        events.decoding = true;
        long between = Watcher.WARM_UP_PAUSE_MILLIS * 3 / 2;
        events.at(between, () -> warming.addAddress("198.51.100.2"), Wait.CHANGED);
        events.stopAt(1000, () -> watcher.requestStop());
        watcher(warming, new Watcher.Settings(0, 100, HOUR, 20, 80)).run();
        assertThat(warming.lastAddAt).as("added when the event came").isEqualTo(between);
        assertThat(warming.hasEndpoint("198.51.100.2")).isTrue();
        assertThat(warming.locks.get()).as("the start, the event, 5 a pass").isEqualTo(2 + 5 * Watcher.WARM_UP_PASSES);
        assertThat(log.causes()).containsExactly(WatchCause.START, WatchCause.EVENTS);
    }

    @Test
    void aWarmUpPassGivesWayToAWakeUpWithinARound() {
        World warming = warming(5);
        events.decoding = true;
        // a round reads the endpoints 4 times: reads 21 to 24 are the first round of the second pass
        warming.reloadAtRead.set(22);
        nextLoad.set(new LoadCounting(warming));
        events.stopAt(1000, () -> watcher.requestStop());
        watcher(warming, new Watcher.Settings(0, 100, HOUR, 20, 80)).run();
        assertThat(log.reloads.get()).isEqualTo(1);
        assertThat(warming.readsAtReload.get())
                .as("the round in progress ends, the next one is not started")
                .isEqualTo(24);
        assertThat(warming.adds.get()).as("the start's endpoint only").isEqualTo(1);
        assertThat(log.failures).isEmpty();
    }

    /** A source that records when it was loaded again, and gives the file it started with. */
    private record LoadCounting(World world) {}

    @Test
    void withoutAnInterfaceTheFileManagesTheWarmUpRehearsesNoStep() {
        World warming = warming(5);
        events.decoding = true;
        nextLoad.set(state("interfaces: []\n"));
        events.stopAt(1000, () -> watcher.requestStop());
        watcher = new Watcher(
                warming,
                events,
                new Source(),
                log,
                new Watcher.Settings(0, 100, HOUR, 20, 80),
                state("interfaces: []\n"),
                events.clock);
        watcher.run();
        assertThat(warming.endpointReads.get()).as("no rehearsed step").isZero();
        assertThat(warming.locks.get())
                .as("the start, then the lock's rounds")
                .isEqualTo(1 + 5 * Watcher.WARM_UP_PASSES);
    }

    @Test
    void stopWakesTheLoopAtOnce() {
        events.stopAt(1000, () -> watcher.requestStop());
        run(HOUR);
        assertThat(world.hasEndpoint("192.0.2.2")).isTrue();
        assertThat(events.clock.millis()).as("no wait after the stop").isEqualTo(1000);
    }

    private final class Source implements Watcher.Source {
        @Override
        public DesiredState load() {
            Object next = nextLoad.get();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            if (next instanceof LoadCounting counting) {
                counting.world()
                        .readsAtReload
                        .set(counting.world().endpointReads.get());
                return state(SUBFLOW);
            }
            return (DesiredState) next;
        }
    }

    /**
     * The events port on a virtual clock: a script of entries, each at a virtual time, that runs an action (a
     * change of the world, an assertion, a stop) and may deliver a wait result. A wait returns the next entry due
     * within its timeout, advancing the clock to it, or times out, advancing the clock by the whole timeout.
     */
    static final class ScriptedEvents implements KernelEvents {
        private record Entry(long at, Runnable action, Wait result) {}

        final VirtualClock clock = new VirtualClock();
        private final Deque<Entry> script = new ArrayDeque<>();
        private final Deque<Wait> immediate = new ArrayDeque<>();
        private long stopAt = -1;
        /** Whether the events are decoded (as NetlinkEvents does); off: takeChanges() says "not known". */
        boolean decoding;
        /** The decoded events not taken yet; null after a loss, until taken. */
        private List<NetworkChange> changes = new ArrayList<>();

        /** An address or link event the world made; kept for takeChanges() when decoding. */
        void changed(NetworkChange change) {
            if (changes != null) {
                changes.add(change);
            }
        }

        /** Events were dropped: what was decoded is no longer enough. */
        void lose() {
            changes = null;
        }

        @Override
        public List<NetworkChange> takeChanges() {
            List<NetworkChange> taken = changes;
            changes = new ArrayList<>();
            return decoding ? taken : null;
        }

        void at(long millis, Runnable action, Wait result) {
            script.add(new Entry(millis, action, result));
        }

        void at(long millis, Runnable action) {
            at(millis, action, null);
        }

        /** The last entry: the test's stop; a loop still waiting after it fails the test. */
        void stopAt(long millis, Runnable stop) {
            stopAt = millis;
            at(millis, stop, null);
        }

        /** A result delivered at the current time (from inside a step). */
        void now(Wait result) {
            immediate.add(result);
        }

        List<Wait> pending() {
            List<Wait> left = new ArrayList<>(immediate);
            for (Entry entry : script) {
                if (entry.result() != null) {
                    left.add(entry.result());
                }
            }
            return left;
        }

        @Override
        public Wait await(long timeoutMillis) {
            long deadline = clock.now + timeoutMillis;
            while (true) {
                if (!immediate.isEmpty()) {
                    return immediate.poll();
                }
                Entry next = script.peek();
                if (next == null || next.at() > deadline) {
                    if (next == null && stopAt >= 0 && clock.now >= stopAt) {
                        throw new AssertionError("the watch waited on after it was stopped");
                    }
                    clock.now = Math.max(clock.now, deadline);
                    return Wait.TIMEOUT;
                }
                script.poll();
                clock.now = Math.max(clock.now, next.at());
                if (next.action() != null) {
                    next.action().run();
                }
                if (next.result() != null) {
                    return next.result();
                }
            }
        }

        @Override
        public void wakeUp() {
            immediate.add(Wait.WOKEN);
        }

        /** Nothing waits: no wake-up, and no entry of the script due by now. */
        @Override
        public boolean idle() {
            Entry next = script.peek();
            return immediate.isEmpty() && (next == null || next.at() > clock.now);
        }

        @Override
        public void close() {}
    }

    static final class VirtualClock implements Watcher.Clock {
        long now;

        @Override
        public long millis() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            now += millis;
        }
    }

    static final class Recorder implements Watcher.Listener {
        final List<WatchCause> applied = new ArrayList<>();
        final List<Integer> changeCounts = new ArrayList<>();
        final List<RuntimeException> failures = new ArrayList<>();
        final List<Long> retryMillis = new ArrayList<>();
        final List<RuntimeException> reloadFailures = new ArrayList<>();
        final List<Diagnostic> warnings = new ArrayList<>();
        final AtomicInteger reloads = new AtomicInteger();

        List<WatchCause> causes() {
            return new ArrayList<>(applied);
        }

        @Override
        public void applied(WatchCause cause, ApplyResult result) {
            applied.add(cause);
            changeCounts.add(result.applied().size());
        }

        @Override
        public void warnings(List<Diagnostic> fresh) {
            warnings.addAll(fresh);
        }

        @Override
        public void failed(WatchCause cause, RuntimeException failure, long retry) {
            failures.add(failure);
            retryMillis.add(retry);
        }

        @Override
        public void reloaded() {
            reloads.incrementAndGet();
        }

        @Override
        public void reloadFailed(RuntimeException failure) {
            reloadFailures.add(failure);
        }
    }

    /**
     * A namespace whose addresses the test changes: eth1 (index 2) with 192.0.2.2. The kernel is a FakeKernel
     * rebuilt with the new addresses (endpoints and limits carried over). Synchronized: the test thread and the
     * watcher thread both use it.
     */
    class World implements Watcher.Access {
        final AtomicInteger failingOpens = new AtomicInteger();
        /** The virtual time of the first endpoint write, or -1. */
        long firstEndpointAt = -1;
        /** The virtual time of the last endpoint added, or -1. */
        long lastAddAt = -1;

        final AtomicInteger queries = new AtomicInteger();
        /** Endpoint-only reads (what an event step reads back after writing). */
        final AtomicInteger endpointReads = new AtomicInteger();
        /** At this endpoint read (counted from 1), a reload is requested, as SIGHUP would; -1: never. */
        final AtomicInteger reloadAtRead = new AtomicInteger(-1);
        /** The endpoint reads done when the file was loaded again. */
        final AtomicInteger readsAtReload = new AtomicInteger(-1);

        final AtomicInteger locks = new AtomicInteger();
        final AtomicInteger adds = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        /** Refuse the add with this number (1: the next one), once; 0: none. */
        final AtomicInteger refuseAdd = new AtomicInteger();
        /** The next add keeps only these flag bits, as a kernel drops bits it does not know; -1: all. */
        final AtomicInteger keepBitsOnNextAdd = new AtomicInteger(-1);
        /** Runs once, inside the next endpoint write: the namespace changing while a step runs. */
        final AtomicReference<Runnable> duringWrite = new AtomicReference<>();
        /** Runs inside lock(), instead of taking it at once: another apply holding it. */
        final AtomicReference<Runnable> whileLocking = new AtomicReference<>();

        private final List<LinkAddress> addresses = new ArrayList<>();
        private FakeKernel kernel;

        World() {
            addresses.add(address("192.0.2.2"));
            kernel = FakeKernel.freshNamespace(links(), List.copyOf(addresses), new DefaultRoutes(Set.of(), Set.of()));
        }

        private static List<Link> links() {
            return List.of(
                    new Link(1, "lo", null, true, true, 772, Snapshot.OperState.UNKNOWN),
                    new Link(2, "eth1", "veth", true, false, 1, Snapshot.OperState.UP));
        }

        private static LinkAddress address(String ip) {
            try {
                return new LinkAddress(2, InetAddress.getByName(ip), 24, 0, LinkAddress.PERMANENT);
            } catch (Exception e) {
                throw new IllegalArgumentException(e);
            }
        }

        synchronized void addAddress(String ip) {
            addresses.add(address(ip));
            rebuild();
            events.changed(new NetworkChange.AddressAdded(address(ip)));
        }

        synchronized void removeAddress(String ip) {
            addresses.remove(address(ip));
            rebuild();
            events.changed(new NetworkChange.AddressRemoved(address(ip)));
        }

        synchronized int endpointCount() {
            return kernel.query().endpoints().size();
        }

        private void rebuild() {
            Snapshot now = kernel.query();
            kernel = new FakeKernel(new Snapshot(
                    now.sysctls(),
                    now.limits(),
                    now.endpoints(),
                    now.links(),
                    List.copyOf(addresses),
                    now.defaultRoutes()));
        }

        synchronized boolean hasEndpoint(String ip) {
            return endpoint(ip) != null;
        }

        synchronized List<String> flags(String ip) {
            KernelEndpoint endpoint = endpoint(ip);
            return endpoint == null ? List.of() : endpoint.flags().names();
        }

        private KernelEndpoint endpoint(String ip) {
            for (KernelEndpoint endpoint : kernel.query().endpoints()) {
                if (endpoint.address().equals(address(ip).address())) {
                    return endpoint;
                }
            }
            return null;
        }

        synchronized void deleteEndpointBehindItsBack(String ip) {
            kernel.deleteEndpoint(endpoint(ip).id());
        }

        @Override
        public MptcpKernel open() {
            if (failingOpens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new KernelRefusedException(5, "injected fault");
            }
            return new View();
        }

        @Override
        public AutoCloseable lock() {
            locks.incrementAndGet();
            Runnable hook = whileLocking.getAndSet(null);
            if (hook != null) {
                hook.run(); // throws when the wait is given up
            }
            return () -> {};
        }

        /** The kernel as it is at each call. */
        private final class View implements MptcpKernel {
            @Override
            public Snapshot query() {
                synchronized (World.this) {
                    queries.incrementAndGet();
                    return kernel.query();
                }
            }

            @Override
            public void setEnabled(boolean enabled) {
                synchronized (World.this) {
                    kernel.setEnabled(enabled);
                }
            }

            @Override
            public void setLimits(Integer subflows, Integer addAddrAccepted) {
                synchronized (World.this) {
                    kernel.setLimits(subflows, addAddrAccepted);
                }
            }

            @Override
            public List<KernelEndpoint> endpoints() {
                synchronized (World.this) {
                    if (endpointReads.incrementAndGet() == reloadAtRead.get()) {
                        watcher.requestReload();
                    }
                    return kernel.query().endpoints();
                }
            }

            @Override
            public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
                synchronized (World.this) {
                    if (refuseAdd.get() > 0 && refuseAdd.decrementAndGet() == 0) {
                        throw new KernelRefusedException(17, "too many addresses or duplicate one: -17");
                    }
                    adds.incrementAndGet();
                    int keep = keepBitsOnNextAdd.getAndSet(-1);
                    EndpointFlags kept = keep < 0 ? flags : new EndpointFlags(flags.bits() & keep);
                    kernel.addEndpoint(id, address, port, kept, interfaceIndex);
                    if (firstEndpointAt < 0) {
                        firstEndpointAt = events.clock.millis();
                    }
                    lastAddAt = events.clock.millis();
                    Runnable hook = duringWrite.getAndSet(null);
                    if (hook != null) {
                        hook.run();
                    }
                }
            }

            @Override
            public void deleteEndpoint(int id) {
                synchronized (World.this) {
                    deletes.incrementAndGet();
                    kernel.deleteEndpoint(id);
                }
            }

            @Override
            public void setEndpointFlags(int id, EndpointFlags flags) {
                synchronized (World.this) {
                    kernel.setEndpointFlags(id, flags);
                }
            }

            @Override
            public void close() {}
        }
    }
}
