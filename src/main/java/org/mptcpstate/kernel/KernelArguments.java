package org.mptcpstate.kernel;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelRules;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The argument checks every {@link MptcpKernel} makes before it sends or changes anything, so that all of them
 * refuse the same programming errors with the same words.
 */
final class KernelArguments {
    private KernelArguments() {}

    static void checkNewEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(flags, "flags");
        if (id < 0 || id > KernelRules.MAX_ENDPOINT_ID) {
            throw new IllegalArgumentException("endpoint id " + id + " is outside 0..255 (0: the kernel chooses)");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535 (0: none)");
        }
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index " + interfaceIndex + " is negative (0: unbound)");
        }
    }

    static void checkEndpointId(int id) {
        if (id < KernelRules.MIN_ENDPOINT_ID || id > KernelRules.MAX_ENDPOINT_ID) {
            throw new IllegalArgumentException("endpoint id " + id + " is outside 1..255");
        }
    }

    static void checkLimit(String name, Integer value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(name + " limit " + value + " is negative");
        }
    }
}
