package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.KernelEvents;
import org.mptcpstate.kernel.KernelEvents.Wait;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one network namespace matching a desired state: applies it, then again at once after address/link events
 * (those that come while a step runs are taken together by the next one), after a periodic re-read (the kernel
 * sends no event when someone else changes endpoints or limits), and after a reload of the file.
 *
 * <p>A full step is {@link Reconciler#apply} under the namespace lock: it reads the namespace, plans, writes,
 * verifies and rolls back exactly like {@code apply}; the start, resyncs, reloads, retries and lost events take
 * it. Between full steps the watcher keeps the snapshot the last one read current with the events themselves
 * ({@link LiveSnapshot}), so an event step plans on it with the same {@link Planner}, without reading the
 * namespace: most events plan nothing and need neither the lock nor the kernel. When it plans changes, it makes
 * them under the lock and checks them with one endpoint read ({@link EventStep}); a refusal or a failed check
 * undoes them and falls back to a full step. Endpoints or limits changed behind its back are therefore corrected
 * at the next resync (or at an event step whose check trips on them), as before.
 *
 * <p>A failed step is logged and retried with a doubling back-off; the watcher itself never gives up. Runs on one
 * thread (the kernel's); only {@link #requestStop()} and {@link #requestReload()} may be called from others.
 */
public final class Watcher {
    /**
     * Time as the watcher sees it: monotonic milliseconds, and waiting. Injected, so that tests run the loop on
     * a virtual clock (their events port advances it) instead of sleeping.
     */
    public interface Clock {
        long millis();

        void sleep(long millis) throws InterruptedException;

        /** The JVM's monotonic clock. */
        Clock SYSTEM = new Clock() {
            @Override
            public long millis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public void sleep(long millis) throws InterruptedException {
                Thread.sleep(millis);
            }
        };
    }

    /** Opens kernel connections and takes the namespace lock; both on the watcher's thread. */
    public interface Access {
        MptcpKernel open();

        /** Takes the namespace lock for one step; it should give up early once {@link #stopping()}. */
        AutoCloseable lock();

        /**
         * Rounds of each pass of the warm-up that follows the first step ({@link #WARM_UP_PASSES} passes, one per
         * {@link #WARM_UP_PAUSE_MILLIS} while nothing happens; see {@link EventStep#warmUpPass}). The JIT then has
         * compiled the event path before the first real event. 0: none.
         */
        default int warmUpRounds() {
            return 0;
        }

        /** Takes the namespace lock if nobody holds it, else returns null at once: for the warm-up. */
        default AutoCloseable lockIfFree() {
            return lock();
        }

        /**
         * Whether a failure of the very first step should end the watch instead of being retried: no permission,
         * no MPTCP in this kernel. Later failures are always retried.
         */
        default boolean fatalAtStart(RuntimeException failure) {
            return false;
        }
    }

    /** Reads the file again; throws (with a one-line message) when it is invalid. */
    public interface Source {
        DesiredState load();
    }

    /** Where the watcher reports; quiet unless something changed or failed. */
    public interface Listener {
        void applied(WatchCause cause, ApplyResult result);

        /** The planner's warnings that the previous plan did not have. */
        void warnings(List<Diagnostic> warnings);

        /** A step failed; it is retried after {@code retryMillis} (or at the next event). */
        void failed(WatchCause cause, RuntimeException failure, long retryMillis);

        void reloaded();

        void reloadFailed(RuntimeException failure);

        /**
         * A step ended with the namespace matching the file (after {@link #applied} when it changed something);
         * {@code warnings} are the plan's, all of them.
         */
        default void matched(WatchCause cause, List<Diagnostic> warnings) {}
    }

    /**
     * @param quietMillis       wait this long for more events after the first one (0: act on the first at once,
     *                          with whatever else is already queued; events during the step wait for the next)
     * @param maxBurstMillis    ... but at most this long in all
     * @param resyncMillis      re-read and correct drift this often
     * @param firstRetryMillis  the first back-off after a failure; doubles up to {@code maxRetryMillis}
     */
    public record Settings(
            long quietMillis, long maxBurstMillis, long resyncMillis, long firstRetryMillis, long maxRetryMillis) {
        public static Settings withResync(long resyncMillis) {
            return new Settings(0, 100, resyncMillis, 500, 30_000);
        }
    }

    /**
     * The warm-up comes in passes with pauses between them: C1 raises its thresholds while its queue is long
     * (load feedback), so one long pass left much of the event path to be compiled during the first real events
     * (seen with -XX:+PrintCompilation); ten passes 50 ms apart left almost nothing.
     */
    static final int WARM_UP_PASSES = 10;

    static final long WARM_UP_PAUSE_MILLIS = 50;

    private final Access access;
    private final KernelEvents events;
    private final Source source;
    private final Listener listener;
    private final Settings settings;
    private final Clock clock;
    private volatile boolean stop;
    private volatile boolean reload;
    private DesiredState desired;
    private MptcpKernel kernel;
    private List<Diagnostic> lastWarnings = List.of();
    /**
     * The namespace as the last step left it, kept current with the events since; null when it must be read
     * again (at the start, after a failure, after lost or undecoded events).
     */
    private Snapshot live;

    /** Warm-up passes still to run; -1 before the first step that left a snapshot. */
    private int warmUpPasses = -1;
    /** When the next warm-up pass may run (the watcher is idle then). */
    private long nextWarmUp;
    /** When the next full step is due: a resync when nothing happens, or the next event step made a full one. */
    private long nextResync;

    public Watcher(
            Access access,
            KernelEvents events,
            Source source,
            Listener listener,
            Settings settings,
            DesiredState initial) {
        this(access, events, source, listener, settings, initial, Clock.SYSTEM);
    }

    public Watcher(
            Access access,
            KernelEvents events,
            Source source,
            Listener listener,
            Settings settings,
            DesiredState initial,
            Clock clock) {
        this.clock = clock;
        this.access = access;
        this.events = events;
        this.source = source;
        this.listener = listener;
        this.settings = settings;
        this.desired = initial;
    }

    /** Ends {@link #run()} after the current step; safe from any thread (a signal handler). */
    public void requestStop() {
        stop = true;
        events.wakeUp();
    }

    /** Reloads the file before the next step; safe from any thread (a signal handler). */
    public void requestReload() {
        reload = true;
        events.wakeUp();
    }

    /** The state being kept (the last one that loaded). */
    public DesiredState desired() {
        return desired;
    }

    /** Whether a stop was requested: a step that waits (for the namespace lock) should give up. */
    public boolean stopping() {
        return stop;
    }

    /** Runs until {@link #requestStop()}; returns normally then. */
    public void run() {
        boolean pending = true;
        WatchCause cause = WatchCause.START;
        long retryAt = 0;
        long backoff = settings.firstRetryMillis();
        nextResync = now() + settings.resyncMillis();
        try {
            while (!stop) {
                if (reload) {
                    reload = false;
                    try {
                        desired = source.load();
                        listener.reloaded();
                        pending = true;
                        cause = WatchCause.RELOAD;
                        retryAt = 0;
                    } catch (RuntimeException e) {
                        listener.reloadFailed(e);
                    }
                    continue;
                }
                if (pending && now() >= retryAt) {
                    try {
                        boolean full = step(cause);
                        pending = false;
                        backoff = settings.firstRetryMillis();
                        if (full) {
                            nextResync = now() + settings.resyncMillis();
                        }
                        if (warmUpPasses < 0 && live != null) {
                            warmUpPasses = access.warmUpRounds() > 0 ? WARM_UP_PASSES : 0;
                            nextWarmUp = now();
                        }
                    } catch (RuntimeException e) {
                        closeKernel();
                        live = null;
                        if (stop) {
                            continue; // cut short by the stop (waiting for the lock): no failure to report
                        }
                        if (cause == WatchCause.START && access.fatalAtStart(e)) {
                            throw e;
                        }
                        if (e instanceof ApplyFailedException && changedMeanwhile()) {
                            // addresses changed while the step ran (its check saw them), and it was rolled
                            // back: not a fault, plan again for the new addresses
                            cause = WatchCause.EVENTS;
                            drain();
                            continue;
                        }
                        listener.failed(cause, e, backoff);
                        retryAt = now() + backoff;
                        backoff = Math.min(backoff * 2, settings.maxRetryMillis());
                        cause = WatchCause.RETRY;
                    }
                    continue;
                }
                boolean warming = !pending && warmUpPasses > 0 && live != null && kernel != null;
                if (warming && now() >= nextWarmUp) {
                    warmUpPass();
                    continue;
                }
                long deadline = pending ? retryAt : warming ? Math.min(nextResync, nextWarmUp) : nextResync;
                Wait wait;
                try {
                    wait = events.await(Math.max(1, deadline - now()));
                    if (wait == Wait.CHANGED) {
                        wait = drain();
                    }
                } catch (RuntimeException e) {
                    // the event socket failed: treat as lost events, and do not spin
                    listener.failed(WatchCause.EVENTS, e, backoff);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, settings.maxRetryMillis());
                    wait = Wait.LOST;
                }
                switch (wait) {
                    case CHANGED -> {
                        pending = true;
                        cause = WatchCause.EVENTS;
                        retryAt = 0;
                    }
                    case LOST -> {
                        pending = true;
                        cause = WatchCause.EVENTS_LOST;
                        retryAt = 0;
                    }
                    case TIMEOUT -> {
                        if (!pending && now() >= nextResync) {
                            pending = true;
                            cause = WatchCause.RESYNC;
                        }
                    }
                    case WOKEN -> {
                        // stop or reload: handled at the top of the loop
                    }
                }
            }
        } finally {
            closeKernel();
        }
    }

    /** Whether address or link events came while a step ran (they are consumed: the next step covers them). */
    private boolean changedMeanwhile() {
        try {
            Wait wait = events.await(0);
            if (wait == Wait.WOKEN) {
                events.wakeUp(); // keep it for the loop
                return false;
            }
            return wait == Wait.CHANGED || wait == Wait.LOST;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * After a first event: reads on until the events stop for the quiet period (debounce). Without a quiet period
     * there is nothing to wait for: the first read took everything queued.
     */
    private Wait drain() {
        if (settings.quietMillis() <= 0) {
            return Wait.CHANGED;
        }
        long end = now() + settings.maxBurstMillis();
        Wait result = Wait.CHANGED;
        while (true) {
            long left = end - now();
            if (left <= 0) {
                return result;
            }
            Wait next = events.await(Math.min(settings.quietMillis(), left));
            switch (next) {
                case TIMEOUT -> {
                    return result;
                }
                case WOKEN -> {
                    return result; // stop or reload first; the step runs afterwards
                }
                case LOST -> result = Wait.LOST;
                case CHANGED -> {}
            }
        }
    }

    /** One step; returns whether it was a full one (the namespace read), which postpones the next resync. */
    private boolean step(WatchCause cause) {
        List<NetworkChange> changes = events.takeChanges(); // older than a full read: dropped by one
        boolean resyncDue = now() >= nextResync; // events that never pause must not hold off the re-read
        if (cause == WatchCause.EVENTS
                && !resyncDue
                && live != null
                && kernel != null
                && changes != null
                && eventStep(changes)) {
            return false;
        }
        live = null;
        ApplyResult result = underLock(new FullStep());
        live = result.after();
        reportWarnings(result.plan().warnings());
        if (!result.applied().isEmpty()) {
            listener.applied(cause, result);
        }
        listener.matched(cause, lastWarnings);
        return true;
    }

    /**
     * The step for events on the kept snapshot; false when it cannot decide or vouch for the result (the file does
     * not fit the namespace, limits to change, a refusal or a failed check, its writes undone): then the full
     * step runs.
     */
    private boolean eventStep(List<NetworkChange> changes) {
        Snapshot before = LiveSnapshot.apply(live, changes);
        Plan plan;
        try {
            plan = Planner.plan(desired, before);
        } catch (RuntimeException e) {
            return false; // the full step reports why the file does not fit
        }
        ApplyResult result = null;
        if (plan.isEmpty()) {
            live = before;
        } else {
            if (!EventStep.handles(plan)) {
                return false;
            }
            result = underLock(new EventWrites(before, plan));
            if (result == null) {
                return false;
            }
            live = result.after();
        }
        reportWarnings(plan.warnings());
        if (result != null) {
            listener.applied(WatchCause.EVENTS, result);
        }
        listener.matched(WatchCause.EVENTS, lastWarnings);
        return true;
    }

    private void warmUpPass() {
        warmUpPasses = EventStep.warmUpPass(kernel, desired, live, events, access, warmUpPasses);
        nextWarmUp = now() + WARM_UP_PAUSE_MILLIS;
    }

    /** What a step does under the namespace lock. */
    private interface Locked {
        ApplyResult run();
    }

    /** A class, not a lambda: lambdas are spun at run time. */
    private final class FullStep implements Locked {
        @Override
        public ApplyResult run() {
            if (kernel == null) {
                kernel = access.open();
            }
            try {
                return Reconciler.apply(kernel, desired, true);
            } catch (ApplyFailedException e) {
                reportWarnings(e.plan().warnings());
                throw e;
            }
        }
    }

    private final class EventWrites implements Locked {
        private final Snapshot before;
        private final Plan plan;

        EventWrites(Snapshot before, Plan plan) {
            this.before = before;
            this.plan = plan;
        }

        @Override
        public ApplyResult run() {
            return EventStep.apply(kernel, desired, before, plan);
        }
    }

    @SuppressWarnings("try") // the lock is held for the step, never read
    private ApplyResult underLock(Locked step) {
        try (AutoCloseable lock = access.lock()) {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot release the namespace lock: " + e.getMessage(), e);
        }
    }

    /** Reports the warnings the previous plan did not have: a lasting one (a link-local address) once. */
    private void reportWarnings(List<Diagnostic> warnings) {
        List<Diagnostic> fresh = new ArrayList<>(warnings);
        fresh.removeAll(lastWarnings);
        lastWarnings = warnings;
        if (!fresh.isEmpty()) {
            listener.warnings(fresh);
        }
    }

    private void closeKernel() {
        if (kernel != null) {
            try {
                kernel.close();
            } catch (Exception e) {
                // a broken connection: opened again at the next step
            }
            kernel = null;
        }
    }

    private long now() {
        return clock.millis();
    }

    private void sleep(long millis) {
        long end = now() + millis;
        while (!stop && !reload && now() < end) {
            try {
                clock.sleep(Math.min(50, Math.max(1, end - now())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop = true;
            }
        }
    }
}
