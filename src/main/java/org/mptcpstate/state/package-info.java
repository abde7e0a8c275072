/**
 * The model: what the kernel holds ({@link org.mptcpstate.state.Snapshot}, {@link
 * org.mptcpstate.state.KernelEndpoint}), what a state file asks for ({@link org.mptcpstate.state.DesiredState}),
 * what {@code show} prints ({@link org.mptcpstate.state.ShowDocument}), diagnostics with a position, and the
 * kernel's rules ({@link org.mptcpstate.state.KernelRules}). Small immutable types and pure functions.
 *
 * <p>May use: nothing of mptcpstate's; the JDK only.
 */
package org.mptcpstate.state;
