package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.kernel.Namespaces;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.state.Snapshot;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code --netns NAME|PATH}: the command's kernel work runs inside that network namespace. */
final class NamespaceOption {
    static final OptionSpec SPEC = new OptionSpec(
            "--netns",
            null,
            "NAME|PATH",
            "Network namespace: a name under /run/netns (as made by `ip netns add`) or a path such as"
                    + " /proc/PID/ns/net. Default: the namespace mptcpstate runs in.");

    private NamespaceOption() {}

    /** Reads the kernel's state in the chosen namespace. */
    static Snapshot query(ParsedArguments arguments) throws Exception {
        return call(arguments, new Query());
    }

    /** A class, not a lambda: lambdas are spun at run time, costing start-up time. */
    private static final class Query implements Callable<Snapshot> {
        @Override
        public Snapshot call() {
            try (NetlinkKernel kernel = NetlinkKernel.open()) {
                return kernel.query();
            }
        }
    }

    static <T> T call(ParsedArguments arguments, Callable<T> work) throws Exception {
        String namespace = arguments.value(SPEC.longName());
        Path path = null;
        if (namespace != null) {
            try {
                path = Namespaces.resolve(namespace);
            } catch (IllegalArgumentException e) {
                throw new ArgumentParser.UsageException(null, "--netns: " + e.getMessage());
            }
        }
        return Namespaces.call(path, work);
    }
}
