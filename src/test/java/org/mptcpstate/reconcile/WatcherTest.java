package org.mptcpstate.reconcile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mptcpstate.kernel.FakeKernel;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.document.StateLoader;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The watch loop against the in-memory kernel: events, debounce, resync, reload, back-off, stop. */
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

    private final World world = new World();
    private final ScriptedEvents events = new ScriptedEvents();
    private final Recorder log = new Recorder();
    private final AtomicReference<Object> nextLoad = new AtomicReference<>();
    private Watcher watcher;
    private Thread thread;

    @AfterEach
    void stop() throws Exception {
        if (watcher != null) {
            watcher.requestStop();
            thread.join(5000);
            assertThat(thread.isAlive()).as("watcher stopped").isFalse();
        }
    }

    private static DesiredState state(String yaml) {
        return StateLoader.load("state.yml", yaml.getBytes(StandardCharsets.UTF_8)).state();
    }

    private void start(long resyncMillis) {
        Watcher.Settings settings = new Watcher.Settings(10, 200, resyncMillis, 20, 80);
        watcher = new Watcher(world, events, new Source(), log, settings, state(SUBFLOW));
        thread = new Thread(watcher::run, "watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** The log line follows the kernel write the test saw: wait for it rather than race it. */
    private void awaitCauses(String... causes) throws InterruptedException {
        await("log causes " + List.of(causes), () -> log.causes().equals(List.of(causes)));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    @Test
    void appliesAtStartThenAddsAndRemovesEndpointsAsAddressesComeAndGo() throws Exception {
        start(3_600_000);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        awaitCauses(Watcher.START);

        world.addAddress("198.51.100.2");
        events.fire(Watcher.Wait.CHANGED);
        await("new endpoint", () -> world.hasEndpoint("198.51.100.2"));

        world.removeAddress("198.51.100.2");
        events.fire(Watcher.Wait.CHANGED);
        await("endpoint removed", () -> !world.hasEndpoint("198.51.100.2"));
        awaitCauses(Watcher.START, Watcher.EVENTS, Watcher.EVENTS);
        assertThat(log.failures).isEmpty();
    }

    @Test
    void aBurstOfEventsIsOneStep() throws Exception {
        start(3_600_000);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        int queriesBefore = world.queries.get();
        world.addAddress("198.51.100.2");
        for (int i = 0; i < 20; i++) {
            events.fire(Watcher.Wait.CHANGED);
        }
        await("new endpoint", () -> world.hasEndpoint("198.51.100.2"));
        Thread.sleep(100);
        // one step: a query to plan, a query to verify
        assertThat(world.queries.get() - queriesBefore).isEqualTo(2);
        assertThat(events.queue).isEmpty();
    }

    @Test
    void resyncCorrectsWhatOthersChanged() throws Exception {
        start(50);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        world.deleteEndpointBehindItsBack("192.0.2.2");
        await("endpoint restored", () -> world.hasEndpoint("192.0.2.2"));
        awaitCauses(Watcher.START, Watcher.RESYNC);
    }

    @Test
    void lostEventsMeanAResync() throws Exception {
        start(3_600_000);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        world.addAddress("198.51.100.2");
        events.fire(Watcher.Wait.LOST);
        await("new endpoint", () -> world.hasEndpoint("198.51.100.2"));
        awaitCauses(Watcher.START, Watcher.EVENTS_LOST);
    }

    @Test
    void reloadAppliesAValidFileAndKeepsTheOldStateOnAnInvalidOne() throws Exception {
        start(50);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        nextLoad.set(new IllegalArgumentException("state.yml:3:5: unknown key 'adress-flags'"));
        watcher.requestReload();
        await("reload failure reported", () -> log.reloadFailures.size() == 1);
        DesiredState kept = watcher.desired();
        // the old state is still kept: drift is still corrected by it
        world.deleteEndpointBehindItsBack("192.0.2.2");
        await("endpoint restored", () -> world.hasEndpoint("192.0.2.2"));
        assertThat(watcher.desired()).isSameAs(kept);

        nextLoad.set(state(BACKUP));
        watcher.requestReload();
        await("backup flag", () -> world.flags("192.0.2.2").equals(List.of("subflow", "backup")));
        assertThat(log.reloads.get()).isEqualTo(1);
        await("reload logged", () -> log.causes().contains(Watcher.RELOAD));
    }

    @Test
    void kernelErrorsAreRetriedWithADoublingBackoff() throws Exception {
        world.failingOpens.set(3);
        start(3_600_000);
        await("endpoint after retries", () -> world.hasEndpoint("192.0.2.2"));
        assertThat(log.retryMillis).containsExactly(20L, 40L, 80L);
        assertThat(log.failures).hasSize(3);
        awaitCauses(Watcher.RETRY);
    }

    @Test
    void aFailingStepIsRetriedAtTheNextEvent() throws Exception {
        Watcher.Settings settings = new Watcher.Settings(10, 200, 3_600_000, 3_600_000, 3_600_000);
        world.failingOpens.set(1);
        watcher = new Watcher(world, events, new Source(), log, settings, state(SUBFLOW));
        thread = new Thread(watcher::run, "watcher");
        thread.start();
        await("failure", () -> log.failures.size() == 1);
        events.fire(Watcher.Wait.CHANGED);
        await("endpoint", () -> world.hasEndpoint("192.0.2.2"));
    }

    @Test
    void aFatalFailureAtStartEndsTheWatch() throws Exception {
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
        Watcher once = new Watcher(refusing, events, new Source(), log, Watcher.Settings.withResync(1000),
                state(SUBFLOW));
        org.assertj.core.api.Assertions.assertThatThrownBy(once::run).hasMessage("no permission");
        assertThat(log.failures).isEmpty();
    }

    @Test
    void aLastingWarningIsReportedOnce() throws Exception {
        world.addAddress("fe80::1");
        start(30);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        world.addAddress("198.51.100.2");
        events.fire(Watcher.Wait.CHANGED);
        await("new endpoint", () -> world.hasEndpoint("198.51.100.2"));
        Thread.sleep(100); // a few resyncs
        assertThat(log.warnings).hasSize(1);
        assertThat(log.warnings.get(0).message()).contains("fe80::1", "link-local");
    }

    @Test
    void anAddressChangingDuringAStepIsPlannedAgainWithoutAnError() throws Exception {
        world.duringWrite.set(() -> {
            world.addAddress("198.51.100.2"); // the step's check will see an address it did not plan for
            events.fire(Watcher.Wait.CHANGED);
        });
        start(3_600_000);
        await("both endpoints", () -> world.hasEndpoint("192.0.2.2") && world.hasEndpoint("198.51.100.2"));
        assertThat(log.failures).isEmpty();
        awaitCauses(Watcher.EVENTS);
    }

    @Test
    void stopWakesTheLoopAtOnce() throws Exception {
        start(3_600_000);
        await("start endpoint", () -> world.hasEndpoint("192.0.2.2"));
        long before = System.nanoTime();
        watcher.requestStop();
        thread.join(2000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)).isLessThan(500);
    }

    private final class Source implements Watcher.Source {
        @Override
        public DesiredState load() {
            Object next = nextLoad.get();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return (DesiredState) next;
        }
    }

    /** A queue of wait results; an empty queue times out after the asked time. */
    static final class ScriptedEvents implements Watcher.Events {
        final LinkedBlockingQueue<Watcher.Wait> queue = new LinkedBlockingQueue<>();

        void fire(Watcher.Wait wait) {
            queue.add(wait);
        }

        @Override
        public Watcher.Wait await(long timeoutMillis) {
            try {
                Watcher.Wait next = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                return next == null ? Watcher.Wait.TIMEOUT : next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Watcher.Wait.WOKEN;
            }
        }

        @Override
        public void wakeUp() {
            queue.add(Watcher.Wait.WOKEN);
        }

        @Override
        public void close() {
        }
    }

    static final class Recorder implements Watcher.Listener {
        final List<String> applied = new CopyOnWriteArrayList<>();
        final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        final List<Long> retryMillis = new CopyOnWriteArrayList<>();
        final List<RuntimeException> reloadFailures = new CopyOnWriteArrayList<>();
        final AtomicInteger reloads = new AtomicInteger();

        List<String> causes() {
            return new ArrayList<>(applied);
        }

        @Override
        public void applied(String cause, ApplyResult result) {
            applied.add(cause);
        }

        final List<Diagnostic> warnings = new CopyOnWriteArrayList<>();

        @Override
        public void warnings(List<Diagnostic> fresh) {
            warnings.addAll(fresh);
        }

        @Override
        public void failed(String cause, RuntimeException failure, long retry) {
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
    static class World implements Watcher.Access {
        final AtomicInteger failingOpens = new AtomicInteger();
        final AtomicInteger queries = new AtomicInteger();
        /** Runs once, inside the next endpoint write: the namespace changing while a step runs. */
        final AtomicReference<Runnable> duringWrite = new AtomicReference<>();
        private final List<LinkAddress> addresses = new ArrayList<>();
        private FakeKernel kernel;

        World() {
            addresses.add(address("192.0.2.2"));
            kernel = FakeKernel.freshNamespace(links(), List.copyOf(addresses), new DefaultRoutes(Set.of(), Set.of()));
        }

        private static List<Link> links() {
            return List.of(new Link(1, "lo", null, true, true, 772, Snapshot.OperState.UNKNOWN),
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
        }

        synchronized void removeAddress(String ip) {
            addresses.remove(address(ip));
            rebuild();
        }

        private void rebuild() {
            Snapshot now = kernel.query();
            kernel = new FakeKernel(new Snapshot(now.sysctls(), now.limits(), now.endpoints(), now.links(),
                    List.copyOf(addresses), now.defaultRoutes()));
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
                throw new KernelErrorException(5, "injected fault");
            }
            return new View();
        }

        @Override
        public AutoCloseable lock() {
            return () -> {
            };
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
            public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
                synchronized (World.this) {
                    kernel.addEndpoint(id, address, port, flags, interfaceIndex);
                    Runnable hook = duringWrite.getAndSet(null);
                    if (hook != null) {
                        hook.run();
                    }
                }
            }

            @Override
            public void deleteEndpoint(int id) {
                synchronized (World.this) {
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
            public void close() {
            }
        }
    }

}
