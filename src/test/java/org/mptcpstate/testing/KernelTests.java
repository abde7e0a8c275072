package org.mptcpstate.testing;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gate for tests that need the real kernel (root, `ip`, namespaces). They skip with a message when not root,
 * unless -Dmptcpstate.kernelTests=required (set by .ci/run as root), where skipping would hide a failure.
 */
public final class KernelTests {
    private KernelTests() {}

    public static boolean required() {
        return "required".equals(System.getProperty("mptcpstate.kernelTests"));
    }

    public static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name")) || uidIsZero();
        if (!root) {
            if (required()) {
                fail("kernel tests are required (-Dmptcpstate.kernelTests=required) but not running as root");
            }
            Assumptions.abort("needs root to create network namespaces; skipped");
        }
    }

    private static boolean uidIsZero() {
        try {
            Object uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return false;
        }
    }
}
