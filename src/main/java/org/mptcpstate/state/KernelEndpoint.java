package org.mptcpstate.state;

import java.net.InetAddress;

/**
 * An endpoint as the kernel holds it: its id, address, port (0: none), flags and the interface it is bound to
 * (0: not bound).
 */
public record KernelEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {}
