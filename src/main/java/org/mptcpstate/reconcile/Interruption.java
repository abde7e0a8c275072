package org.mptcpstate.reconcile;

/**
 * Whether someone asked a running apply to stop (SIGINT, SIGTERM). {@link Reconciler} asks before each change:
 * once it says yes, no further change is made, the namespace is rolled back to its snapshot and
 * {@link ApplyInterruptedException} is thrown. A request after the last change lets the apply complete.
 */
@FunctionalInterface
public interface Interruption {
    /** Never interrupted. */
    Interruption NONE = () -> null;

    /** The name of the signal that asked the apply to stop ("INT", "TERM"), or null while none did. */
    String requested();
}
