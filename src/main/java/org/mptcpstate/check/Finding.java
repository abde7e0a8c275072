package org.mptcpstate.check;

/**
 * One problem {@code check} found: how bad, which kind, what it concerns (an interface and/or address, or a
 * sysctl), why it stops subflows and what fixes it.
 *
 * @param severity   error (subflows cannot work as configured), warning, or info (a verdict of no problem, with
 *                   the evidence it rests on)
 * @param code       a stable short name, e.g. {@code policy-routing}
 * @param interfaceName the interface concerned, or null
 * @param address    the address concerned (textual), or null
 * @param subject    what the finding is about when it is neither (a sysctl or limit), or null
 * @param reason     why it stops or limits subflows
 * @param fix        the command or state-file change that fixes it; null for an info
 */
public record Finding(
        Severity severity,
        String code,
        String interfaceName,
        String address,
        String subject,
        String reason,
        String fix) {
    public enum Severity {
        ERROR("error"),
        WARNING("warning"),
        INFO("info");

        private final String word;

        Severity(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** What the finding concerns, as one word or two: {@code c1 198.51.100.1}, {@code net.mptcp.enabled}. */
    public String concerns() {
        StringBuilder text = new StringBuilder();
        if (subject != null) {
            text.append(subject);
        }
        if (interfaceName != null) {
            text.append(text.length() == 0 ? "" : " ").append(interfaceName);
        }
        if (address != null) {
            text.append(text.length() == 0 ? "" : " ").append(address);
        }
        return text.toString();
    }

    /** One line: {@code error policy-routing c1 198.51.100.1: REASON; fix: FIX} (an info has no fix). */
    @Override
    public String toString() {
        String concerns = concerns();
        return severity.word() + " " + code + (concerns.isEmpty() ? "" : " " + concerns) + ": " + reason
                + (fix == null ? "" : "; fix: " + fix);
    }
}
