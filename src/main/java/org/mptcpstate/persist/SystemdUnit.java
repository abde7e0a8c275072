package org.mptcpstate.persist;

import java.nio.file.Path;

/**
 * The text of mptcpstate.service: runs {@code LAUNCHER watch /etc/mptcpstate/state.yml} as root with only
 * CAP_NET_ADMIN, after network.target, restarted on failure, with systemd's hardening options.
 */
public final class SystemdUnit {
    public static final String NAME = "mptcpstate.service";

    private SystemdUnit() {}

    /** The unit {@code persist} writes, for a launcher at {@code launcher} (absolute) reading {@code stateFile}. */
    public static String text(Path launcher, String stateFile) {
        return "# Written by `mptcpstate persist`; `mptcpstate unpersist` removes it.\n"
                + "[Unit]\n"
                + "Description=mptcpstate: keep the MPTCP endpoints and limits as " + stateFile + " says\n"
                + "Documentation=file:" + stateFile + "\n"
                + body(launcher, stateFile);
    }

    /**
     * The unit the package ships (lib/systemd/system): the same service, documented by the man pages, and
     * skipped rather than failing while there is no state file.
     */
    public static String packaged(Path launcher, String stateFile) {
        return "# Shipped with the mptcpstate package. `mptcpstate persist FILE` installs " + stateFile + ";\n"
                + "# then: systemctl enable --now " + NAME + " (systemctl reload " + NAME + " re-reads it).\n"
                + "[Unit]\n"
                + "Description=mptcpstate: keep the MPTCP endpoints and limits as " + stateFile + " says\n"
                + "Documentation=man:mptcpstate(8) man:mptcpstate(5)\n"
                + "ConditionPathExists=" + stateFile + "\n"
                + body(launcher, stateFile);
    }

    /** A path or value with a control character: it would end the unit's line and start another. */
    public static final class UnsafeValueException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsafeValueException(String message) {
            super(message);
        }
    }

    /**
     * Refuses a value with a control character (a newline would start a line of its own in the unit, such as
     * ExecStartPre=...); {@code what} names it in the message.
     */
    public static void checkValue(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new UnsafeValueException(what + " holds a control character (" + String.format("U+%04X", (int) c)
                        + " at position " + (i + 1) + "), which would break the unit's line apart: refused");
            }
        }
    }

    private static String body(Path launcher, String stateFile) {
        String launcherText = launcher.toString();
        checkValue("the launcher's path", launcherText);
        checkValue("the state file's path", stateFile);
        // The launcher must stay readable: a launcher in a home directory only gets read-only homes.
        boolean inHome = launcherText.startsWith("/home/")
                || launcherText.startsWith("/root/")
                || launcherText.startsWith("/run/user/");
        // watch follows address events and reconciles when addresses appear: it needs the network
        // stack (network.target), not a configured network (network-online.target would only delay it)
        return "After=network.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=simple\n"
                + "ExecStart=" + executable(launcherText) + " watch " + argument(stateFile) + "\n"
                + "# watch reloads the state file on SIGHUP\n"
                + "ExecReload=/bin/kill -HUP $MAINPID\n"
                + "Restart=on-failure\n"
                + "RestartSec=2s\n"
                + "# Only CAP_NET_ADMIN: endpoints, limits, net.mptcp.enabled. (--netns would need CAP_SYS_ADMIN.)\n"
                + "CapabilityBoundingSet=CAP_NET_ADMIN\n"
                + "AmbientCapabilities=CAP_NET_ADMIN\n"
                + "NoNewPrivileges=yes\n"
                + "# Everything read-only but /run/mptcpstate (the namespace locks, root's alone) and, of the kernel's\n"
                + "# tunables, the MPTCP sysctls it writes (net.mptcp.enabled); \"-\": none without MPTCP.\n"
                + "ProtectSystem=strict\n"
                + "ProtectKernelTunables=yes\n"
                + "RuntimeDirectory=mptcpstate\n"
                + "RuntimeDirectoryMode=0700\n"
                + "RuntimeDirectoryPreserve=yes\n"
                + "ReadWritePaths=/run/mptcpstate -/proc/sys/net/mptcp\n"
                + "ProtectHome=" + (inHome ? "read-only" : "yes") + "\n"
                + "PrivateTmp=yes\n"
                + "PrivateDevices=yes\n"
                + "ProtectKernelModules=yes\n"
                + "ProtectKernelLogs=yes\n"
                + "ProtectControlGroups=yes\n"
                + "ProtectClock=yes\n"
                + "ProtectHostname=yes\n"
                + "RestrictAddressFamilies=AF_NETLINK AF_UNIX\n"
                + "RestrictNamespaces=yes\n"
                + "RestrictRealtime=yes\n"
                + "RestrictSUIDSGID=yes\n"
                + "LockPersonality=yes\n"
                + "SystemCallArchitectures=native\n"
                + "# No MemoryDenyWriteExecute=: the JVM's JIT compiler needs writable and executable memory.\n"
                + "UMask=0022\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /**
     * The program of an ExecStart= line as systemd reads it: specifiers expanded (a % written %%), no variables
     * (a $ stays as it is), double quotes around a path with a space. systemd refuses a program path with a quote or
     * a backslash ("Executable name contains special characters"), so such a launcher is refused here already.
     */
    private static String executable(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"' || c == '\'' || c == '\\') {
                throw new UnsafeValueException(
                        "the launcher's path " + path + " holds " + (c == '\\' ? "a backslash" : "a quote")
                                + ", which systemd refuses in the program of ExecStart=: install the package,"
                                + " or give --exec a copy at a plain path");
            }
        }
        String text = path.replace("%", "%%");
        return text.indexOf(' ') < 0 && text.indexOf('\t') < 0 && text.indexOf(';') < 0 ? text : "\"" + text + "\"";
    }

    /** A later word of ExecStart=: specifiers (%%) and variables ($$) escaped, quoted when it needs to be. */
    private static String argument(String word) {
        boolean plain = true;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == ' ' || c == '"' || c == '\'' || c == '\\' || c == '%' || c == '$' || c == ';') {
                plain = false;
            }
        }
        if (plain) {
            return word;
        }
        return "\""
                + word.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("%", "%%")
                        .replace("$", "$$") + "\"";
    }
}
