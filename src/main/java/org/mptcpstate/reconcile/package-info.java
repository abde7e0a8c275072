/**
 * Making the kernel match: {@link org.mptcpstate.reconcile.Reconciler} (snapshot, plan, write, verify), {@link
 * org.mptcpstate.reconcile.Rollback} (back to the snapshot on any failure), {@link
 * org.mptcpstate.reconcile.NamespaceLock} (one apply at a time per namespace) and {@link
 * org.mptcpstate.reconcile.Watcher} (the loop behind {@code watch}), all through the kernel port.
 *
 * <p>May use: {@code state}, {@code plan}, {@code kernel} (its ports and failures).
 */
package org.mptcpstate.reconcile;
