package org.mptcpstate.reconcile;

/** Why a watch step ran; the log says so. */
public enum WatchCause {
    /** The first apply. */
    START("start"),
    /** Address or link events. */
    EVENTS("events"),
    /** The kernel dropped events: everything was re-read. */
    EVENTS_LOST("events-lost"),
    /** The periodic re-read that corrects what others changed. */
    RESYNC("resync"),
    /** The state file was reloaded. */
    RELOAD("reload"),
    /** A failed step, tried again. */
    RETRY("retry");

    private final String word;

    WatchCause(String word) {
        this.word = word;
    }

    /** The cause as the log prints it. */
    public String word() {
        return word;
    }
}
