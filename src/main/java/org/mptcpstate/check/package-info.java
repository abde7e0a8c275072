/**
 * What stops MPTCP subflows: the rules ({@link org.mptcpstate.check.Checker}, pure, over a snapshot and {@link
 * org.mptcpstate.check.CheckFacts}) and the gathering of those facts through the kernel's {@code NetworkFacts}
 * port ({@link org.mptcpstate.check.FactsReader}); no netlink of its own.
 *
 * <p>May use: {@code state}, {@code kernel} (its ports).
 */
package org.mptcpstate.check;
