package org.mptcpstate.cli;

import org.mptcpstate.netlink.NetworkNamespace;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code --netns NAME|PATH}: run the command's kernel work inside that network namespace. */
final class NamespaceOption {
    @Option(names = "--netns", paramLabel = "NAME|PATH",
            description = "Network namespace: a name under /run/netns (as made by `ip netns add`) or a path such"
                    + " as /proc/PID/ns/net. Default: the namespace mptcpstate runs in.")
    String namespace;

    Path path() {
        return namespace == null ? null : NetworkNamespace.resolve(namespace);
    }

    <T> T call(Callable<T> work) throws Exception {
        return NetworkNamespace.call(path(), work);
    }
}
