/**
 * The kernel port and its netlink adapter. The port is what the rest of mptcpstate talks to: {@link
 * org.mptcpstate.kernel.MptcpKernel} (read a snapshot, write endpoints, limits and net.mptcp.enabled), {@link
 * org.mptcpstate.kernel.KernelEvents} (address and link events for {@code watch}), {@link
 * org.mptcpstate.kernel.NetworkFacts} (what {@code check} reads), and the failures {@link
 * org.mptcpstate.kernel.KernelException} and its subclasses. The adapters implement them over netlink and
 * /proc/sys and translate what the netlink layer throws; the in-memory kernel lives with the tests, and one
 * contract suite runs against both.
 *
 * <p>May use: {@code state}, {@code netlink}.
 */
package org.mptcpstate.kernel;
