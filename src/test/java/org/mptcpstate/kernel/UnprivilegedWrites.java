package org.mptcpstate.kernel;

import org.mptcpstate.state.EndpointFlags;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run by {@link NetlinkKernelContractIT} as nobody inside a namespace: tries every write of {@link NetlinkKernel}
 * once and prints, one line each, {@code write<TAB>exception class<TAB>message} (or {@code write<TAB>ok}).
 */
public final class UnprivilegedWrites {
    private UnprivilegedWrites() {}

    public static void main(String[] args) throws Exception {
        InetAddress address = InetAddress.getByName(args.length > 0 ? args[0] : "192.0.2.1");
        Map<String, Runnable> writes = new LinkedHashMap<>();
        try (NetlinkKernel kernel = NetlinkKernel.open()) {
            writes.put("setEnabled", () -> kernel.setEnabled(false));
            writes.put("setLimits", () -> kernel.setLimits(4, 4));
            writes.put("addEndpoint", () -> kernel.addEndpoint(0, address, 0, new EndpointFlags(0x2), 0));
            writes.put("deleteEndpoint", () -> kernel.deleteEndpoint(1));
            writes.put("setEndpointFlags", () -> kernel.setEndpointFlags(1, new EndpointFlags(0x4)));
            for (Map.Entry<String, Runnable> write : writes.entrySet()) {
                try {
                    write.getValue().run();
                    System.out.println(write.getKey() + "\tok");
                } catch (RuntimeException e) {
                    System.out.println(write.getKey() + "\t" + e.getClass().getName() + "\t" + e.getMessage());
                }
            }
        }
    }
}
