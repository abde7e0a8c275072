package org.mptcpstate.netlink;

import com.sun.jna.LastErrorException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs work inside another network namespace. setns(2) changes only the calling thread, so the work runs on
 * a dedicated thread that enters the namespace first and is thrown away afterwards: sockets it opens and
 * /proc/sys/net files it reads belong to that namespace, and no other thread of the JVM is affected.
 */
public final class NetworkNamespace {
    private static final Path NAMED = Path.of("/run/netns");

    private NetworkNamespace() {}

    /**
     * A namespace argument as users give it: a name under /run/netns (as {@code ip netns} makes them), or a
     * path such as /proc/PID/ns/net.
     */
    public static Path resolve(String nameOrPath) {
        if (nameOrPath.isEmpty()) {
            throw new IllegalArgumentException("network namespace name is empty");
        }
        if (nameOrPath.contains("/")) {
            return Path.of(nameOrPath);
        }
        if (nameOrPath.equals(".") || nameOrPath.equals("..")) {
            throw new IllegalArgumentException("'" + nameOrPath + "' is not a network namespace name");
        }
        return NAMED.resolve(nameOrPath);
    }

    /** Runs {@code work} in the namespace at {@code path}; null runs it on the caller's thread as it is. */
    public static <T> T call(Path path, Callable<T> work) throws Exception {
        if (path == null) {
            return work.call();
        }
        if (!Files.exists(path)) {
            throw new NamespaceNotFoundException(path);
        }
        InNamespace<T> task = new InNamespace<>(path, work);
        Thread thread = new Thread(task, "netns " + path);
        thread.start();
        thread.join();
        Throwable t = task.failure;
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return task.result;
    }

    /** The work of {@link #call}, run by the thread that enters the namespace. */
    private static final class InNamespace<T> implements Runnable {
        private final Path path;
        private final Callable<T> work;
        private volatile T result;
        private volatile Throwable failure;

        InNamespace(Path path, Callable<T> work) {
            this.path = path;
            this.work = work;
        }

        @Override
        public void run() {
            try {
                enter(path);
                result = work.call();
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static void enter(Path path) {
        int fd;
        try {
            fd = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new SystemCallException("open(" + path + ")", e.getErrorCode());
        }
        try {
            LibC.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new SystemCallException("setns(" + path + ", CLONE_NEWNET)", e.getErrorCode());
        } finally {
            LibC.close(fd);
        }
    }

    /** The namespace named on the command line does not exist. */
    public static final class NamespaceNotFoundException extends NetlinkException {
        public NamespaceNotFoundException(Path path) {
            super("no network namespace at " + path);
        }
    }
}
