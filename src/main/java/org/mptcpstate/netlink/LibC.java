package org.mptcpstate.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import java.nio.ByteBuffer;

/**
 * The few libc calls that netlink needs, bound with JNA direct mapping (no proxy, no reflection per call).
 * {@code long} stands for {@code size_t}/{@code ssize_t}: mptcpstate runs on 64-bit Linux only.
 */
final class LibC {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_NETLINK = 270;
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

    static {
        // Unset, JNA's NativeLibrary runs `/sbin/ldconfig -p` to build a search path. libc needs no search
        // (it is already mapped into the JVM), and mptcpstate must never run external programs.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        Native.register(LibC.class, libc());
    }

    /** glibc's soname first: the short name "c" would make JNA search library directories. */
    private static NativeLibrary libc() {
        try {
            return NativeLibrary.getInstance("libc.so.6");
        } catch (UnsatisfiedLinkError notGlibc) {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        }
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

    static native int getsockname(int fd, byte[] address, int[] addressLength) throws LastErrorException;

    static native int setsockopt(int fd, int level, int option, int[] value, int valueLength) throws LastErrorException;

    static native long send(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException;

    static native long recv(int fd, ByteBuffer buffer, long length, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int open(String path, int flags) throws LastErrorException;

    static native int setns(int fd, int namespaceType) throws LastErrorException;

    /** {@code fds}: {@code nfds} struct pollfd (int fd, short events, short revents), 8 bytes each. */
    static native int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

    static native int eventfd(int initialValue, int flags) throws LastErrorException;

    static native long read(int fd, byte[] buffer, long length) throws LastErrorException;

    static native long write(int fd, byte[] buffer, long length) throws LastErrorException;
}
