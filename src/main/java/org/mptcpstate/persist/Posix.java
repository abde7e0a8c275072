package org.mptcpstate.persist;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The two libc calls Java has no counterpart of, for {@link Directory}: openat(2) of a directory without following
 * a symbolic link, and close(2). Everything else goes through Java's file API on /proc/self/fd/N paths. Called
 * through JNA, looked up by name as the netlink package does (persist may not use that package).
 */
final class Posix {
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ELOOP = 40;
    static final int AT_FDCWD = -100;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    /** O_DIRECTORY and O_NOFOLLOW differ between architectures: arm64 and powerpc have their own values. */
    private static final boolean ARM_LIKE = armLike(System.getProperty("os.arch", ""));

    private static final int O_DIRECTORY = ARM_LIKE ? 0x4000 : 0x10000;
    private static final int O_NOFOLLOW = ARM_LIKE ? 0x8000 : 0x20000;
    private static final Charset PATH_ENCODING = pathEncoding();

    private static Function openat;
    private static Function close;

    private Posix() {}

    /**
     * The directory {@code name} below the directory {@code dirfd} (or the path {@code name} when {@code follow}),
     * opened read-only; {@code follow} false refuses a symbolic link (ELOOP) and anything else not a directory
     * (ENOTDIR).
     */
    static synchronized int openDirectory(int dirfd, String name, boolean follow) throws LastErrorException {
        bind();
        byte[] bytes = name.getBytes(PATH_ENCODING);
        byte[] terminated = Arrays.copyOf(bytes, bytes.length + 1);
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
        return openat.invokeInt(new Object[] {dirfd, terminated, flags, 0});
    }

    static synchronized void close(int fd) {
        bind();
        try {
            close.invokeInt(new Object[] {fd});
        } catch (LastErrorException e) {
            // nothing to do about it
        }
    }

    private static void bind() {
        if (openat != null) {
            return;
        }
        // as in the netlink package: without it, JNA runs `ldconfig -p` to build a search path
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        NativeLibrary libc = NativeLibrary.getInstance("libc.so.6");
        openat = libc.getFunction("openat", Function.THROW_LAST_ERROR);
        close = libc.getFunction("close", Function.THROW_LAST_ERROR);
    }

    private static boolean armLike(String arch) {
        return arch.startsWith("aarch64") || arch.startsWith("arm") || arch.startsWith("ppc");
    }

    private static Charset pathEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
