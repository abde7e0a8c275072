package org.mptcpstate.netlink;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few libc calls that netlink needs, called through JNA.
 * {@code long} stands for {@code size_t}/{@code ssize_t}: mptcpstate runs on 64-bit Linux only.
 */
final class LibC {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_NETLINK = 270;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int NETLINK_ADD_MEMBERSHIP = 1;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NETLINK_GET_STRICT_CHK = 12;
    static final int MSG_PEEK = 0x2;
    static final int MSG_TRUNC = 0x20;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    private static final Charset PATH_ENCODING = pathEncoding();
    private static final Object BINDING_LOCK = new Object();
    private static volatile Functions functions;
    private static RuntimeException bindingFailure; // guarded by BINDING_LOCK
    /** Whether recv, send and poll go through {@link Direct}; set once, before the sockets are used. */
    private static volatile boolean direct;

    private LibC() {}

    /**
     * The libc functions, looked up once. Looked up by name and called through {@link Function} rather than
     * bound with {@code Native.register}: registering builds JNA's type descriptions by reflection (about
     * 20 ms of start-up, measured), which plain calls with boxed arguments do not need.
     */
    private static final class Functions {
        final Function socket;
        final Function bind;
        final Function getsockname;
        final Function setsockopt;
        final Function send;
        final Function recv;
        /** recv without THROW_LAST_ERROR: an empty non-blocking socket (EAGAIN) is the normal end of a read. */
        final Function recvQuiet;

        final Function close;
        final Function open;
        final Function setns;
        final Function poll;
        final Function eventfd;
        final Function read;
        final Function write;

        Functions(NativeLibrary libc) {
            socket = function(libc, "socket");
            bind = function(libc, "bind");
            getsockname = function(libc, "getsockname");
            setsockopt = function(libc, "setsockopt");
            send = function(libc, "send");
            recv = function(libc, "recv");
            recvQuiet = libc.getFunction("recv");
            close = function(libc, "close");
            open = function(libc, "open");
            setns = function(libc, "setns");
            poll = function(libc, "poll");
            eventfd = function(libc, "eventfd");
            read = function(libc, "read");
            write = function(libc, "write");
        }

        private static Function function(NativeLibrary libc, String name) {
            // THROW_LAST_ERROR: errno is cleared before the call and a LastErrorException thrown when it is set
            return libc.getFunction(name, Function.THROW_LAST_ERROR);
        }
    }

    /**
     * Loads JNA and looks up the functions on a daemon thread, so that the work (mostly JNA's own start-up,
     * including java.util.logging) overlaps with what the caller does before its first system call.
     */
    static void bindInBackground() {
        if (functions != null) {
            return;
        }
        Thread thread = new Thread(new Binder(), "libc binding");
        thread.setDaemon(true);
        thread.start();
        // JNA's start initialises java.lang.SecurityManager, which lists every package of every JDK module
        // (~7 ms, measured); it does not depend on the rest, so a second thread does it at the same time
        Thread securityManager = new Thread(new SecurityManagerInit(), "libc binding (SecurityManager)");
        securityManager.setDaemon(true);
        securityManager.start();
    }

    private static final class SecurityManagerInit implements Runnable {
        @Override
        public void run() {
            try {
                Class.forName("java.lang.SecurityManager");
            } catch (ClassNotFoundException | LinkageError e) {
                // a JDK without it: JNA copes, and so does this
            }
        }
    }

    /** A class, not a lambda: lambdas are spun at run time, costing start-up time. */
    private static final class Binder implements Runnable {
        @Override
        public void run() {
            try {
                functions();
            } catch (NetlinkException e) {
                // kept in bindingFailure and thrown to the first real caller
            }
        }
    }

    private static Functions functions() {
        Functions bound = functions;
        if (bound != null) {
            return bound;
        }
        synchronized (BINDING_LOCK) {
            if (functions == null) {
                if (bindingFailure == null) {
                    try {
                        functions = new Functions(libc());
                    } catch (RuntimeException | Error e) {
                        // JNA throws a plain Error for a stub of another version, LinkageError for a missing one
                        String message = String.valueOf(e.getMessage()).strip();
                        int lineEnd = message.indexOf('\n');
                        bindingFailure = new NetlinkException(
                                "cannot load the native library binding (JNA): "
                                        + (lineEnd < 0
                                                ? message
                                                : message.substring(0, lineEnd).strip()),
                                e);
                    }
                }
                if (bindingFailure != null) {
                    throw bindingFailure;
                }
            }
            return functions;
        }
    }

    private static Charset pathEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** glibc's soname first: the short name "c" would make JNA search library directories. */
    private static NativeLibrary libc() {
        // Unset, JNA's NativeLibrary runs `/sbin/ldconfig -p` to build a search path. libc needs no search
        // (it is already mapped into the JVM), and mptcpstate must never run external programs.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }

        try {
            return NativeLibrary.getInstance("libc.so.6");
        } catch (UnsatisfiedLinkError notGlibc) {
            try {
                return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            } catch (LinkageError alsoFailed) {
                notGlibc.addSuppressed(alsoFailed);
                throw notGlibc; // the first error says why: JNA's own stub, or libc
            }
        }
    }

    static int socket(int domain, int type, int protocol) throws LastErrorException {
        return functions().socket.invokeInt(new Object[] {domain, type, protocol});
    }

    /** Restarted on EINTR, as are getsockname, setsockopt, send and recv. */
    static int bind(int fd, byte[] address, int addressLength) throws LastErrorException {
        return (int) restarting(functions().bind, new Object[] {fd, address, addressLength}, false);
    }

    static int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException {
        return (int) restarting(functions().getsockname, new Object[] {fd, address, addressLength}, false);
    }

    static int setsockopt(int fd, int level, int option, int[] value, int valueLength) throws LastErrorException {
        return (int) restarting(functions().setsockopt, new Object[] {fd, level, option, value, valueLength}, false);
    }

    /** {@code buffer} must be direct: its address is passed. */
    static long send(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException {
        if (direct) {
            while (true) {
                long sent = Direct.send(fd, buffer, length, flags);
                if (sent >= 0) {
                    return sent;
                }
                throwUnlessInterrupted();
            }
        }
        return restarting(functions().send, new Object[] {fd, buffer, length, flags}, true);
    }

    /** {@code buffer} must be direct: its address is passed. */
    static long recv(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException {
        if (direct) {
            while (true) {
                long size = Direct.recv(fd, buffer, length, flags);
                if (size >= 0) {
                    return size;
                }
                throwUnlessInterrupted();
            }
        }
        return restarting(functions().recv, new Object[] {fd, buffer, length, flags}, true);
    }

    private static void throwUnlessInterrupted() {
        int errno = lastError();
        if (errno != Errno.EINTR) {
            throw new LastErrorException(errno);
        }
    }

    /**
     * Switches recv, send and poll to JNA's direct mapping, for the rest of the process: a call then costs about
     * half (measured: 2 us instead of 5 when hot, 23 us instead of 45 when the caches are cold, as they are for a
     * daemon woken by an event), but binding takes about 30 ms of start-up, so only {@code watch} asks for it.
     * Returns whether it worked; else the calls go on as before.
     */
    static boolean bindDirect() {
        if (!direct) {
            try {
                functions();
                Native.register(Direct.class, libc());
                direct = true;
            } catch (RuntimeException | LinkageError e) {
                // the lookup through Function stays
            }
        }
        return direct;
    }

    /** The calls a watch makes for every event, bound directly (see bindDirect); errno from {@link #lastError()}. */
    private static final class Direct {
        private Direct() {}

        static native long recv(int fd, ByteBuffer buffer, long length, int flags);

        static native long send(int fd, ByteBuffer buffer, long length, int flags);

        static native int poll(byte[] fds, long nfds, int timeoutMillis);
    }

    /**
     * recv(2) that throws nothing: -1 with the errno in {@link #lastError()}. For reads that end on an empty
     * non-blocking socket: JNA's LastErrorException for that EAGAIN costs about 20 us compiled and 65 us
     * interpreted (measured), at every event a watch reads.
     */
    static long recvQuiet(int fd, ByteBuffer buffer, long length, int flags) {
        if (direct) {
            return Direct.recv(fd, buffer, length, flags);
        }
        return functions().recvQuiet.invokeLong(new Object[] {fd, buffer, length, flags});
    }

    /** The errno of this thread's last call through JNA. */
    static int lastError() {
        return Native.getLastError();
    }

    private static long restarting(Function function, Object[] arguments, boolean returnsLong) {
        while (true) {
            try {
                return returnsLong ? function.invokeLong(arguments) : function.invokeInt(arguments);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    static int close(int fd) throws LastErrorException {
        return functions().close.invokeInt(new Object[] {fd});
    }

    static int open(String path, int flags) throws LastErrorException {
        // the encoding the JDK's own file calls use, so that what Files.exists found is what open(2) gets
        byte[] bytes = path.getBytes(PATH_ENCODING);
        byte[] terminated = Arrays.copyOf(bytes, bytes.length + 1);
        return functions().open.invokeInt(new Object[] {terminated, flags});
    }

    static int setns(int fd, int namespaceType) throws LastErrorException {
        return functions().setns.invokeInt(new Object[] {fd, namespaceType});
    }

    /** {@code fds}: {@code nfds} struct pollfd (int fd, short events, short revents), 8 bytes each. */
    static int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException {
        if (direct) {
            int ready = Direct.poll(fds, nfds, timeoutMillis);
            if (ready < 0) {
                throw new LastErrorException(lastError());
            }
            return ready;
        }
        return functions().poll.invokeInt(new Object[] {fds, nfds, timeoutMillis});
    }

    static int eventfd(int initialValue, int flags) throws LastErrorException {
        return functions().eventfd.invokeInt(new Object[] {initialValue, flags});
    }

    static long read(int fd, byte[] buffer, long length) throws LastErrorException {
        return functions().read.invokeLong(new Object[] {fd, buffer, length});
    }

    static long write(int fd, byte[] buffer, long length) throws LastErrorException {
        return functions().write.invokeLong(new Object[] {fd, buffer, length});
    }
}
