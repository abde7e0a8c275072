/**
 * The files {@code persist} installs and {@code unpersist} removes: atomic writes, the manifest unpersist trusts
 * ({@link org.mptcpstate.persist.Installation}), reached without following a symbolic link below the root, the
 * systemd unit's text ({@link org.mptcpstate.persist.SystemdUnit}) and which launcher may go into it ({@link
 * org.mptcpstate.persist.TrustedLauncher}).
 *
 * <p>May use: nothing of mptcpstate's; JNA (openat and close, which the JDK's file API lacks).
 */
package org.mptcpstate.persist;
