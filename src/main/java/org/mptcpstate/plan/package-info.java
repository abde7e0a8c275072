/**
 * The planner: a pure function from a desired state and a snapshot to an ordered plan of kernel writes ({@link
 * org.mptcpstate.plan.Planner}), and {@link org.mptcpstate.plan.Simulation}, which applies a plan to a snapshot
 * without a kernel. No I/O.
 *
 * <p>May use: {@code state}.
 */
package org.mptcpstate.plan;
