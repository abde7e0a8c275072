/**
 * The files {@code persist} installs and {@code unpersist} removes: atomic writes, the manifest unpersist trusts
 * ({@link org.mptcpstate.persist.Installation}) and the systemd unit's text ({@link
 * org.mptcpstate.persist.SystemdUnit}).
 *
 * <p>May use: nothing of mptcpstate's.
 */
package org.mptcpstate.persist;
