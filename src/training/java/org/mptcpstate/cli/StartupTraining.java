package org.mptcpstate.cli;

import org.mptcpstate.document.SavedShowLoader;
import org.mptcpstate.document.ShowWriter;
import org.mptcpstate.document.StateLoader;
import org.mptcpstate.kernel.FakeKernel;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.ClosedSubflows;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.plan.Simulation;
import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.Reconciler;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.ShowDocument;
import org.mptcpstate.state.Snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Run once at package time under -XX:ArchiveClassesAtExit: exercises the start-up paths of the common
 * commands (read-only) so that their classes land in the class-data-sharing archive the launcher uses.
 * Failures are expected on build machines without MPTCP and do not matter; only loaded classes do. It lives in
 * its own source root (src/training/java) and jar: the product jar does not contain it.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) {
        // stdout as Main.main makes it: a stream that keeps why a write failed
        PrintStream sink = CheckedOutput.of(OutputStream.nullOutputStream(), false);
        String[][] commandLines = {
            {"show"},
            {"show", "--json"},
            {"show", "no-such-interface"},
            {"--help"},
            {"help", "show"},
            {"--version"},
            {"show", "--no-such-option"},
        };
        for (String[] commandLine : commandLines) {
            try {
                Main.run(commandLine, sink, sink);
            } catch (RuntimeException e) {
                // only the classes loaded on the way matter
            }
        }
        // The build machine's namespace may hold no endpoints: show one that does.
        try {
            InetAddress v4 = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 2});
            InetAddress v6 = InetAddress.getByAddress(
                    new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
            Snapshot snapshot = new Snapshot(
                    new Snapshot.Sysctls(true, "kernel"),
                    new Snapshot.Limits(2, 0),
                    List.of(
                            new KernelEndpoint(1, v4, 0, new EndpointFlags(3), 2),
                            new KernelEndpoint(2, v6, 8443, new EndpointFlags(1), 0)),
                    List.of(new Snapshot.Link(2, "eth1", "veth", true, false, 1, Snapshot.OperState.UP)),
                    List.of(new Snapshot.LinkAddress(2, v4, 24, 0, 0x80), new Snapshot.LinkAddress(2, v6, 64, 0, 0)),
                    new Snapshot.DefaultRoutes(Set.of(2), Set.of()));
            for (ShowWriter.Format format : ShowWriter.Format.values()) {
                ShowWriter.write(ShowDocument.of(snapshot), format, sink);
            }
            // diff --current: a saved show document read back
            java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
            ShowWriter.write(ShowDocument.of(snapshot), ShowWriter.Format.YAML, saved);
            SavedShowLoader.load("training.show.yml", saved.toByteArray());
            // validate, diff and apply: load a state file, plan it, print the plan and its diff
            byte[] file = ("mptcp:\n  enabled: true\n  limits: {subflows: 4, add-addr-accepted: 2}\n"
                            + "interfaces:\n- name: eth1\n  type: ethernet\n  mtu: 1500\n"
                            + "  mptcp:\n    address-flags: [subflow, backup]\n"
                            + "  ipv4:\n    address:\n    - ip: 192.0.2.2\n      prefix-length: 24\n"
                            + "      mptcp-flags: [signal]\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Plan plan = Planner.plan(
                    StateInput.load("training.yml", file, sink, false).state(), snapshot);
            PlanPrinter.warnings(plan, false, sink);
            PlanPrinter.text(plan, snapshot, sink, true);
            ResultJson.write(
                    new ResultJson.Result(
                            true,
                            true,
                            null,
                            plan.changes(),
                            DiffCommand.warnings(List.of(), plan, ClosedSubflows.warnings(plan, List.of()), false),
                            snapshot,
                            Simulation.apply(snapshot, plan.changes())),
                    sink);
            // apply's classes (reconcile, verify) on the in-memory kernel: nothing on the build machine changes
            ApplyResult applied = Reconciler.apply(
                    new FakeKernel(snapshot),
                    StateLoader.load("training.yml", file).state(),
                    true);
            for (Change change : applied.applied()) {
                sink.println(change.describe());
            }
            try {
                StateLoader.load(
                        "bad.yml",
                        "interfaces: [{name: eth1, mtu: 1, adress: 1}]\n"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (RuntimeException expected) {
                // the error path's classes
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // the rest of apply's path is loaded, not run: it locks, handles signals and enters namespaces
        for (String name : APPLY_ONLY_CLASSES) {
            try {
                Class.forName(name, false, StartupTraining.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // exit 1 is a training failure the build accepts (a machine without MPTCP); this one is a bug
                System.err.println("StartupTraining names a class that is gone: " + name);
                System.exit(2);
            }
        }
        // the JDK's file-lock classes (the apply lock), on a temporary file
        try {
            Path file = Files.createTempFile("mptcpstate-cds", ".lock");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                channel.truncate(0);
                lock.release();
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            // a build machine without a writable temporary directory: the archive is only a little smaller
        }
    }

    private static final List<String> APPLY_ONLY_CLASSES = List.of(
            "org.mptcpstate.cli.ApplyCommand$LockedApply",
            "org.mptcpstate.cli.PendingQuery",
            "org.mptcpstate.cli.ErrorJson",
            "org.mptcpstate.cli.LiveSubflows",
            "org.mptcpstate.reconcile.PlanReview",
            // diff and apply read the live connections when a plan deletes an endpoint
            "org.mptcpstate.kernel.MptcpDiag",
            "org.mptcpstate.kernel.MptcpDiag$1",
            "org.mptcpstate.netlink.InetDiag",
            "org.mptcpstate.netlink.InetDiag$Socket",
            "org.mptcpstate.state.MptcpConnection",
            "org.mptcpstate.state.MptcpConnection$Info",
            "org.mptcpstate.state.MptcpConnection$Subflow",
            "org.mptcpstate.cli.ApplySignals",
            "org.mptcpstate.cli.ApplySignals$Recorder",
            "org.mptcpstate.cli.Signals",
            "org.mptcpstate.cli.Signals$Adapter",
            "org.mptcpstate.cli.Signals$Installed",
            "org.mptcpstate.kernel.Namespaces",
            "org.mptcpstate.netlink.NetworkNamespace$InNamespace",
            "org.mptcpstate.reconcile.NamespaceLock",
            "org.mptcpstate.reconcile.NamespaceLock$LockTimeoutException",
            // /run/mptcpstate: the checked directory, the holder from /proc/locks, the journal, the watch's claim
            "org.mptcpstate.reconcile.RuntimeDirectory",
            "org.mptcpstate.reconcile.Processes",
            "org.mptcpstate.reconcile.StaleFiles",
            "org.mptcpstate.reconcile.ApplyJournal",
            "org.mptcpstate.reconcile.RunningWatch",
            "org.mptcpstate.reconcile.RunningWatch$Info",
            "org.mptcpstate.reconcile.Rollback",
            "org.mptcpstate.reconcile.Rollback$Outcome",
            "org.mptcpstate.cli.RuntimeNotices",
            "org.mptcpstate.cli.PendingQuery$Read",
            "org.mptcpstate.kernel.NetlinkKernel$Write",
            "org.mptcpstate.state.Diagnostic",
            "sun.misc.Signal",
            "sun.misc.SignalHandler");
}
