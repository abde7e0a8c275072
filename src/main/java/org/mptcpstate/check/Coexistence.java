package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.kernel.NetworkFacts;
import org.mptcpstate.kernel.NetworkFacts.EndpointManager;

import java.util.ArrayList;
import java.util.List;

/**
 * The other managers of MPTCP endpoints running in the namespace checked (NetworkManager, mptcpd): each adds and
 * removes endpoints by its own rules, so it and mptcpstate would undo each other's changes. One warning each,
 * with how to turn its endpoint management off.
 */
public final class Coexistence {
    private Coexistence() {}

    /** The findings for the endpoint managers the kernel's {@link NetworkFacts} port reports. */
    public static List<Finding> check(NetworkFacts kernel) {
        return findings(kernel.endpointManagers());
    }

    static List<Finding> findings(List<EndpointManager> managers) {
        List<Finding> findings = new ArrayList<>();
        for (EndpointManager manager : managers) {
            String subject = manager.name() + " (pid " + manager.pid() + ")";
            if ("NetworkManager".equals(manager.name())) {
                findings.add(new Finding(
                        Severity.WARNING,
                        "endpoint-manager",
                        null,
                        null,
                        subject,
                        "NetworkManager runs in this network namespace, and from version 1.40 on it adds MPTCP"
                                + " endpoints (subflow, by default) for the addresses it configures while"
                                + " net.mptcp.enabled is 1: it and mptcpstate would undo each other's endpoints",
                        "turn it off per profile: nmcli connection modify PROFILE connection.mptcp-flags disabled"
                                + " (then nmcli connection up PROFILE), or for every profile: a file in"
                                + " /etc/NetworkManager/conf.d/ with [connection] connection.mptcp-flags=0x1,"
                                + " then systemctl restart NetworkManager"));
            } else {
                findings.add(new Finding(
                        Severity.WARNING,
                        "endpoint-manager",
                        null,
                        null,
                        subject,
                        "mptcpd runs in this network namespace: its addr_adv plugin (the default) adds an MPTCP"
                                + " endpoint for every address that appears and removes it when the address goes:"
                                + " it and mptcpstate would undo each other's endpoints",
                        "systemctl disable --now mptcpd, or keep addr_adv out of path-manager= and load-plugins="
                                + " in /etc/mptcpd/mptcpd.conf"));
            }
        }
        return findings;
    }
}
