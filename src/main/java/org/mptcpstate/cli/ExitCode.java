package org.mptcpstate.cli;

import java.util.List;

/**
 * Every exit code mptcpstate uses, in one table: the help text and the exit-code table of docs/commands.md are
 * generated from it (a test holds the docs to it).
 */
public enum ExitCode {
    OK(0, "ok", "ok"),
    /** Failed (after an apply: and rolled back). */
    FAILED(
            1,
            "failed",
            "failed: a kernel error (apply then rolled back), a missing namespace, a lock held too long, output"
                    + " that could not be written (`write error: ...`)"),
    /** diff: changes are pending; apply --detailed-exitcode: changes were applied. */
    CHANGES_PENDING(
            2,
            "changes pending (diff); changes applied (apply --detailed-exitcode)",
            "changes pending (`diff`, `apply --dry-run`); changes applied (`apply --detailed-exitcode`, as"
                    + " terraform's `-detailed-exitcode`: 0 then means nothing to do)"),
    /** Bad command line (sysexits EX_USAGE). */
    USAGE(64, "usage error", "usage error: unknown option or command, missing value"),
    /** Bad state file (sysexits EX_DATAERR). */
    INVALID_INPUT(
            65,
            "invalid input",
            "invalid input: a state file with problems, or one that does not fit the"
                    + " namespace (an interface or address that is not there, more than 8 endpoints as a result); nothing is"
                    + " changed"),
    /** The launcher found no Java to run mptcpstate with, or no Maven to build it (sysexits EX_UNAVAILABLE). */
    UNAVAILABLE(
            69,
            "Java runtime not found (the launcher)",
            "the launcher found no Java 17 or newer (in a checkout: no Maven to build the jar); it names what to"
                    + " install"),
    /** Not allowed: root or CAP_NET_ADMIN needed (sysexits EX_NOPERM). */
    PERMISSION(
            77,
            "permission denied: root or CAP_NET_ADMIN needed",
            "permission denied: root, CAP_NET_ADMIN or, for `--netns`, CAP_SYS_ADMIN needed"),
    /** apply stopped by SIGINT and rolled back (128 + 2, as a shell reports a SIGINT death). */
    INTERRUPTED_SIGINT(
            130,
            "apply stopped by SIGINT, rolled back",
            "`apply` stopped by SIGINT and rolled back: the namespace is as it was"),
    /** apply stopped by SIGTERM and rolled back (128 + 15). */
    INTERRUPTED_SIGTERM(
            143,
            "apply stopped by SIGTERM, rolled back",
            "`apply` stopped by SIGTERM and rolled back: the namespace is as it was");

    private final int code;
    private final String summary;
    private final String meaning;

    ExitCode(int code, String summary, String meaning) {
        this.code = code;
        this.summary = summary;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** A few words, for --help. */
    public String summary() {
        return summary;
    }

    /** One sentence, for the documentation. */
    public String meaning() {
        return meaning;
    }

    /** The lines --help ends with. */
    static List<String> helpLines() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("Exit codes:");
        for (ExitCode exit : values()) {
            String number = Integer.toString(exit.code);
            lines.add("  " + number + " ".repeat(4 - number.length()) + exit.summary);
        }
        return lines;
    }

    /** The Markdown table of docs/commands.md. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| code | meaning |\n|---|---|\n");
        for (ExitCode exit : values()) {
            table.append("| ")
                    .append(exit.code)
                    .append(" | ")
                    .append(exit.meaning)
                    .append(" |\n");
        }
        return table.toString();
    }
}
