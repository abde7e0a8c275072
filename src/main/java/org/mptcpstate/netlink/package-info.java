/**
 * Netlink sockets and codecs, with no MPTCP policy: the libc calls through JNA, {@link
 * org.mptcpstate.netlink.NetlinkSocket} over a {@link org.mptcpstate.netlink.Transport} (the kernel's socket, or a
 * test's script), the attribute encoder and sticky-error decoder, rtnetlink and generic netlink framing, and
 * entering a network namespace on a dedicated thread.
 *
 * <p>May use: nothing of mptcpstate's; JNA.
 */
package org.mptcpstate.netlink;
