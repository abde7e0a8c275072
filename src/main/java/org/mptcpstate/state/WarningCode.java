package org.mptcpstate.state;

/**
 * Every kind of warning mptcpstate gives, with its stable code (printed as {@code [code]} at the end of a warning
 * line and as {@code "code"} in JSON), in one place: docs/state-file.md lists the same table (a test holds them
 * in step). A routine kind is expected on most hosts (every interface has a link-local address): all warnings of
 * such a kind are summarised in one line per run ({@link WarningSummary}), each listed only with --verbose.
 */
public enum WarningCode {
    // the loader
    NMSTATE_IGNORED("nmstate-ignored", true, "a key nmstate defines that mptcpstate does not act on; not read"),
    FLAG_DUPLICATE("flag-duplicate", false, "a flag listed twice in one list; counted once"),
    // the planner
    LINK_LOCAL_SKIPPED(
            "link-local-skipped", true, "a link-local address (fe80::/10, 169.254/16) gets no MPTCP endpoint"),
    LOOPBACK_SKIPPED("loopback-skipped", true, "a loopback address gets no MPTCP endpoint"),
    UNIQUE_LOCAL_SKIPPED(
            "unique-local-skipped",
            true,
            "an IPv6 unique-local address (fc00::/7) gets no endpoint from interface-wide flags"),
    MULTICAST_SKIPPED("multicast-skipped", false, "a multicast address gets no MPTCP endpoint"),
    ENDPOINT_LINK_LOCAL(
            "endpoint-link-local",
            false,
            "an `mptcp.endpoints` entry on a link-local address: no endpoint is made (an existing one is left as it"
                    + " is)"),
    DAD_FAILED("dad-failed", false, "duplicate address detection failed on the address: it gets no endpoint"),
    ADDRESS_TENTATIVE("address-tentative", false, "the address is tentative (duplicate address detection running)"),
    DYNAMIC_ADDRESS_GONE(
            "dynamic-address-gone",
            false,
            "an address the file marks as dynamic (a lifetime other than forever) is no longer on the interface;"
                    + " skipped"),
    TYPE_MISMATCH("type-mismatch", false, "the interface's link kind is not the type the file gives"),
    STATE_MISMATCH("state-mismatch", false, "the link is up and the file says down, or the reverse"),
    ABSENT_LINK_KEPT(
            "absent-link-kept",
            false,
            "an interface the file says is absent exists: its endpoints are removed, the link is not deleted"),
    IGNORED_INTERFACE(
            "ignored-interface", false, "MPTCP settings given for an interface with state: ignore are not applied"),
    NOT_A_LINK(
            "not-a-link",
            false,
            "MPTCP settings given for an entry that is no kernel link (ovs-bridge, ipsec) are not applied"),
    PATH_MANAGER("path-manager", false, "net.mptcp.path_manager is not kernel: the kernel ignores endpoints"),
    MPTCP_DISABLED("mptcp-disabled", false, "net.mptcp.enabled stays 0: new connections do not use MPTCP"),
    // diff, apply and check, from /run/mptcpstate
    APPLY_INTERRUPTED(
            "apply-interrupted",
            false,
            "an earlier apply of the namespace was killed part-way (SIGKILL, a crash): its journal says which file, which"
                    + " process, when and after how many changes"),
    WATCH_WILL_REVERT(
            "watch-will-revert",
            false,
            "a watch keeps another file applied in the namespace: it will undo this apply at its next step"),
    // watch
    SIGHUP_IGNORED(
            "sighup-ignored",
            false,
            "watch was started with SIGHUP ignored (nohup): no reload on SIGHUP; the file is still reloaded when it"
                    + " changes"),
    STATE_FILE_NOT_WATCHED(
            "state-file-not-watched",
            false,
            "watch cannot follow the state file's directory (inotify): a change is noticed at the next resync or at"
                    + " SIGHUP"),
    STATUS_FILE_NOT_WRITTEN(
            "status-file-not-written",
            false,
            "watch --status-file could not rewrite the status file (it goes on enforcing; the file is stale)"),
    // persist
    EXEC_UNDER_STICKY_DIRECTORY(
            "exec-sticky-directory",
            false,
            "the launcher the unit runs lies under a directory anyone may write (sticky, as /tmp): safe while its"
                    + " root-owned entry stays, not if that is removed and made again by someone else"),
    STATE_DIRECTORY_MODE(
            "state-directory-mode",
            false,
            "etc/mptcpstate was writable by group or others: persist narrowed it to 0755 before writing into it"),
    // diff and apply, from the live connections
    CLOSES_LIVE_SUBFLOWS(
            "closes-live-subflows",
            false,
            "the plan deletes (or deletes and adds again) an endpoint whose address carries live subflows: they are"
                    + " closed");

    private final String code;
    private final boolean routine;
    private final String meaning;

    WarningCode(String code, boolean routine, String meaning) {
        this.code = code;
        this.routine = routine;
        this.meaning = meaning;
    }

    /** The stable name, kebab-case. */
    public String code() {
        return code;
    }

    /** Whether its warnings are summarised in one line per run unless --verbose is given. */
    public boolean routine() {
        return routine;
    }

    /** What it means, for the docs' table. */
    public String meaning() {
        return meaning;
    }

    /** The table as docs/state-file.md holds it (a test compares them). */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| code | summarised | meaning |\n|---|---|---|\n");
        for (WarningCode kind : values()) {
            table.append("| `")
                    .append(kind.code)
                    .append("` | ")
                    .append(kind.routine ? "yes" : "no")
                    .append(" | ")
                    .append(kind.meaning)
                    .append(" |\n");
        }
        return table.toString();
    }

    /** The kind with this code, or null. */
    public static WarningCode of(String code) {
        for (WarningCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        return null;
    }
}
